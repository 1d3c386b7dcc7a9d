package dev.berth.network.netlink;

import dev.berth.network.Ipv4;
import dev.berth.network.Subnet;
import dev.berth.network.internal.InNetns;
import dev.berth.sys.Fd;
import dev.berth.sys.NetlinkSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Links, addresses and routes of one network namespace through rtnetlink(7): the requests
 * `ip link`, `ip addr` and `ip route` make, sent from Java instead of parsed from their output.
 * Every change is sent with NLM_F_ACK and waits for the kernel's NLMSG_ERROR ack, so a refusal
 * surfaces here as a {@link NetlinkException} naming the errno and the request.
 *
 * <p>Which namespace is decided when the socket is opened ({@link #open()} for the caller's,
 * {@link #openIn(Path)} for another's); after that, any thread may use it. Calls are serialised.
 */
public final class Rtnetlink implements AutoCloseable {
    // linux/rtnetlink.h message types
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18,
            RTM_NEWADDR = 20, RTM_GETADDR = 22, RTM_NEWROUTE = 24, RTM_GETROUTE = 26;
    // linux/netlink.h flags
    static final int NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_DUMP_INTR = 0x10,
            NLM_F_DUMP = 0x300, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    // flags of an NLMSG_ERROR message: capped (no request payload echoed), TLVs follow
    static final int NLM_F_CAPPED = 0x100, NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;
    // linux/if_link.h
    static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MASTER = 10, IFLA_LINKINFO = 18, IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1;
    static final int IFF_UP = 0x1;
    // linux/if_addr.h, linux/rtnetlink.h
    static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_BROADCAST = 4;
    static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_TABLE = 15;
    static final int AF_UNSPEC = 0, AF_INET = 2;
    static final int ENODEV = 19;
    static final int RT_TABLE_MAIN = 254, RTPROT_BOOT = 3, RT_SCOPE_UNIVERSE = 0, RTN_UNICAST = 1;

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

    private final NetlinkSocket socket;
    private int seq = (int) (System.nanoTime() & 0x7fffffff);

    private Rtnetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** A socket to the caller's own network namespace. */
    public static Rtnetlink open() {
        return new Rtnetlink(NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE));
    }

    /**
     * A socket to the network namespace of {@code netnsFile} (/proc/PID/ns/net or a bind mount of
     * one): opened on a platform thread that setns()ed there, since a netlink socket stays bound
     * to the namespace it was created in.
     */
    public static Rtnetlink openIn(Path netnsFile) {
        return new Rtnetlink(InNetns.call(netnsFile, () -> NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE)));
    }

    // ---- links

    /** ip link add NAME type bridge; returns its index. */
    public synchronized int createBridge(String name) {
        ack("create bridge " + name, new MessageBuilder(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .attr(IFLA_IFNAME, name)
                .beginNest(IFLA_LINKINFO).attr(IFLA_INFO_KIND, "bridge").endNest());
        return index(name);
    }

    /** ip link add NAME type veth peer name PEER, both ends in this namespace. */
    public synchronized void createVethPair(String name, String peer) {
        ack("create veth pair " + name + "/" + peer, new MessageBuilder(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .attr(IFLA_IFNAME, name)
                .beginNest(IFLA_LINKINFO)
                .attr(IFLA_INFO_KIND, "veth")
                .beginNest(IFLA_INFO_DATA)
                // VETH_INFO_PEER carries a whole ifinfomsg and then the peer's own attributes.
                .beginNest(VETH_INFO_PEER).ifinfomsg(AF_UNSPEC, 0, 0, 0).attr(IFLA_IFNAME, peer).endNest()
                .endNest()
                .endNest());
    }

    /**
     * One request for what a container's veth needs on the host side: the pair NAME/PEER with
     * NAME in this namespace, in bridge {@code master} and up, and PEER made directly in the
     * namespace {@code peerNetns} refers to (IFLA_NET_NS_FD among the peer's attributes) with MAC
     * {@code peerMac}. Making the peer there rather than moving it afterwards saves the move's
     * synchronize_net() (dev_change_net_namespace), tens of ms on a busy machine, as the CNI
     * bridge plugin does (it creates the pair from inside the container's netns).
     */
    public synchronized void createVethPairInto(String name, String master, String peer, Fd peerNetns, byte[] peerMac) {
        int masterIndex = index(master);
        ack("create veth pair " + name + "/" + peer + " (peer in another netns)",
                new MessageBuilder(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                        .ifinfomsg(AF_UNSPEC, 0, IFF_UP, IFF_UP)
                        .attr(IFLA_IFNAME, name)
                        .attrInt(IFLA_MASTER, masterIndex)
                        .beginNest(IFLA_LINKINFO)
                        .attr(IFLA_INFO_KIND, "veth")
                        .beginNest(IFLA_INFO_DATA)
                        .beginNest(VETH_INFO_PEER).ifinfomsg(AF_UNSPEC, 0, 0, 0)
                        .attr(IFLA_IFNAME, peer)
                        .attr(IFLA_ADDRESS, peerMac)
                        .attrInt(IFLA_NET_NS_FD, peerNetns.number())
                        .endNest()
                        .endNest()
                        .endNest());
    }

    /** ip link set NAME netns NS: moves a link into the namespace {@code netns} refers to (IFLA_NET_NS_FD). */
    public synchronized void moveToNamespace(String name, Fd netns) {
        modify("move " + name + " to another netns", name, 0, 0, b -> b.attrInt(IFLA_NET_NS_FD, netns.number()));
    }

    /** ip link set NAME name NEW (the link must be down). */
    public synchronized void rename(String name, String newName) {
        modify("rename " + name + " to " + newName, name, 0, 0, b -> b.attr(IFLA_IFNAME, newName));
    }

    public synchronized void setUp(String name) {
        modify("set " + name + " up", name, IFF_UP, IFF_UP, b -> {});
    }

    public synchronized void setDown(String name) {
        modify("set " + name + " down", name, 0, IFF_UP, b -> {});
    }

    /** ip link set NAME address MAC. */
    public synchronized void setMac(String name, byte[] mac) {
        modify("set " + name + " address " + Macs.format(mac), name, 0, 0, b -> b.attr(IFLA_ADDRESS, mac));
    }

    /** ip link set NAME master BRIDGE. */
    public synchronized void setMaster(String name, String master) {
        int masterIndex = index(master);
        modify("set " + name + " master " + master, name, 0, 0, b -> b.attrInt(IFLA_MASTER, masterIndex));
    }

    /** ip link del NAME. Deleting one end of a veth pair deletes both, wherever the peer is. */
    public synchronized void deleteLink(String name) {
        int index = index(name);
        ack("delete link " + name, new MessageBuilder(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK).ifinfomsg(AF_UNSPEC, index, 0, 0));
    }

    public synchronized Optional<Link> link(String name) {
        byte[] req = new MessageBuilder(RTM_GETLINK, NLM_F_REQUEST)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0).attr(IFLA_IFNAME, name).build(++seq);
        socket.send(req);
        for (Message m : replyTo(seq)) {
            if (m.type() == Message.NLMSG_ERROR) {
                int errno = -m.buffer().getInt(0);
                if (errno == ENODEV) {
                    return Optional.empty();
                }
                throw error("get link " + name, m);
            }
            if (m.type() == RTM_NEWLINK) {
                return Optional.of(parseLink(m));
            }
        }
        return Optional.empty();
    }

    public synchronized List<Link> links() {
        List<Link> out = new ArrayList<>();
        for (Message m : dump("list links", new MessageBuilder(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP).ifinfomsg(AF_UNSPEC, 0, 0, 0))) {
            if (m.type() == RTM_NEWLINK) {
                out.add(parseLink(m));
            }
        }
        return out;
    }

    // ---- addresses and routes

    /** ip addr add ADDRESS/PREFIX broadcast + dev NAME. */
    public synchronized void addAddress(String name, Ipv4 address, int prefixLength) {
        int index = index(name);
        Ipv4 broadcast = Subnet.containing(address, prefixLength).last();
        ack("add address " + address + "/" + prefixLength + " to " + name,
                new MessageBuilder(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                        .ifaddrmsg(AF_INET, prefixLength, RT_SCOPE_UNIVERSE, index)
                        .attr(IFA_LOCAL, address.bytes())
                        .attr(IFA_ADDRESS, address.bytes())
                        .attr(IFA_BROADCAST, broadcast.bytes()));
    }

    public synchronized List<AddressEntry> addresses() {
        List<AddressEntry> out = new ArrayList<>();
        for (Message m : dump("list addresses", new MessageBuilder(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP).ifaddrmsg(AF_INET, 0, 0, 0))) {
            ByteBuffer b = m.buffer();
            if (m.type() != RTM_NEWADDR || (b.get(0) & 0xff) != AF_INET) {
                continue;
            }
            Attributes a = Attributes.parse(m.payload(), 8);
            Optional<byte[]> addr = a.bytes(IFA_LOCAL).or(() -> a.bytes(IFA_ADDRESS));
            addr.ifPresent(v -> out.add(new AddressEntry(b.getInt(4), Ipv4.of(v), b.get(1) & 0xff)));
        }
        return out;
    }

    /** ip route add default via GATEWAY (in the main table). */
    public synchronized void addDefaultRoute(Ipv4 gateway) {
        ack("add default route via " + gateway,
                new MessageBuilder(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)
                        .rtmsg(AF_INET, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                        .attr(RTA_GATEWAY, gateway.bytes()));
    }

    /** IPv4 routes of every table. */
    public synchronized List<RouteEntry> routes() {
        List<RouteEntry> out = new ArrayList<>();
        for (Message m : dump("list routes", new MessageBuilder(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP)
                .rtmsg(AF_INET, 0, 0, 0, 0, 0))) {
            if (m.type() == RTM_NEWROUTE) {
                out.add(parseRoute(m));
            }
        }
        return out;
    }

    static RouteEntry parseRoute(Message m) {
        ByteBuffer b = m.buffer();
        int dstLength = b.get(1) & 0xff;
        Attributes a = Attributes.parse(m.payload(), 12);
        Ipv4 dst = a.bytes(RTA_DST).map(Ipv4::of).orElse(new Ipv4(0));
        return new RouteEntry(Subnet.containing(dst, dstLength), a.bytes(RTA_GATEWAY).map(Ipv4::of),
                a.u32(RTA_OIF).orElse(0), a.u32(RTA_TABLE).orElse(b.get(4) & 0xff));
    }

    static Link parseLink(Message m) {
        ByteBuffer b = m.buffer();
        Attributes a = Attributes.parse(m.payload(), 16);
        return new Link(b.getInt(4), a.string(IFLA_IFNAME).orElse(""), (b.getInt(8) & IFF_UP) != 0,
                a.bytes(IFLA_ADDRESS).orElse(new byte[0]), a.u32(IFLA_MASTER).orElse(0),
                a.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND).orElse(""));
    }

    // ---- the request/ack protocol

    private int index(String name) {
        return link(name).orElseThrow(() -> new NetlinkException("find link " + name, ENODEV, null)).index();
    }

    /** RTM_NEWLINK on an existing link (no NLM_F_CREATE): changes only what the message carries. */
    private void modify(String what, String name, int flags, int change, java.util.function.Consumer<MessageBuilder> attrs) {
        MessageBuilder b = new MessageBuilder(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK).ifinfomsg(AF_UNSPEC, index(name), flags, change);
        attrs.accept(b);
        ack(what, b);
    }

    private void ack(String what, MessageBuilder request) {
        socket.send(request.build(++seq));
        for (Message m : replyTo(seq)) {
            if (m.type() == Message.NLMSG_ERROR) {
                if (m.buffer().getInt(0) != 0) {
                    throw error(what, m);
                }
                return;
            }
        }
        throw new IllegalStateException(what + ": the kernel sent no ack");
    }

    /**
     * A whole dump. The kernel marks a dump that raced a change with NLM_F_DUMP_INTR (netlink(7)):
     * its content may be inconsistent, so it is asked for again, a few times at most.
     */
    private List<Message> dump(String what, MessageBuilder request) {
        for (int attempt = 1; ; attempt++) {
            socket.send(request.build(++seq));
            List<Message> out = new ArrayList<>();
            boolean interrupted = false;
            boolean done = false;
            while (!done) {
                for (Message m : receive(seq)) {
                    interrupted |= (m.flags() & NLM_F_DUMP_INTR) != 0;
                    if (m.type() == Message.NLMSG_DONE) {
                        done = true;
                        break;
                    }
                    if (m.type() == Message.NLMSG_ERROR) {
                        throw error(what, m);
                    }
                    out.add(m);
                }
            }
            if (!interrupted || attempt == 5) {
                return out;
            }
        }
    }

    /** Messages answering request {@code s} until one that is not part of a multipart reply. */
    private List<Message> replyTo(int s) {
        List<Message> out = new ArrayList<>();
        while (true) {
            List<Message> got = receive(s);
            out.addAll(got);
            if (got.stream().anyMatch(m -> (m.flags() & NLM_F_MULTI) == 0 || m.type() == Message.NLMSG_DONE)) {
                return out;
            }
        }
    }

    /** One datagram's messages for sequence {@code s}; stale answers to earlier requests are skipped. */
    private List<Message> receive(int s) {
        while (true) {
            List<Message> got = Message.parseAll(socket.receive(REPLY_TIMEOUT)).stream().filter(m -> m.seq() == s).toList();
            if (!got.isEmpty()) {
                return got;
            }
        }
    }

    /**
     * The NLMSG_ERROR payload: {@code struct nlmsgerr { int error; struct nlmsghdr msg; }}, then
     * (NLM_F_ACK_TLVS) attributes, the kernel's text among them. With NETLINK_CAP_ACK the echoed
     * request is only its header (NLM_F_CAPPED); otherwise its whole length is skipped.
     */
    static NetlinkException error(String what, Message m) {
        ByteBuffer b = m.buffer();
        int errno = -b.getInt(0);
        String text = null;
        if ((m.flags() & NLM_F_ACK_TLVS) != 0 && m.payload().length >= 20) {
            int tlvs = (m.flags() & NLM_F_CAPPED) != 0 ? 20 : 4 + ((b.getInt(4) + 3) & ~3);
            if (tlvs <= m.payload().length) {
                text = Attributes.parse(m.payload(), tlvs).string(NLMSGERR_ATTR_MSG).orElse(null);
            }
        }
        return new NetlinkException(what, errno, text);
    }

    @Override
    public void close() {
        socket.close();
    }

}
