package dev.berth.network.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Encoding and decoding without a kernel: the bytes `ip` would send, the replies it would get. */
class NetlinkCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void aBridgeCreateRequestIsHeaderIfinfomsgAndPaddedNestedAttributes() {
        byte[] msg = new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0x605)
                .ifinfomsg(0, 0, 0, 0)
                .attr(Rtnetlink.IFLA_IFNAME, "br0")
                .beginNest(Rtnetlink.IFLA_LINKINFO).attr(Rtnetlink.IFLA_INFO_KIND, "bridge").endNest()
                .build(7);
        assertThat(HEX.formatHex(msg)).isEqualTo(
                "38000000" + "1000" + "0506" + "07000000" + "00000000"       // nlmsghdr: len 56, RTM_NEWLINK, flags, seq 7, pid 0
                + "00000000" + "00000000" + "00000000" + "00000000"        // ifinfomsg
                + "0800" + "0300" + "62723000"                              // IFLA_IFNAME "br0\0" (len 8)
                + "1000" + "1200"                                           // IFLA_LINKINFO, len 16
                + "0b00" + "0100" + "6272696467650000");                     // IFLA_INFO_KIND "bridge\0" (len 11) + 1 pad
    }

    @Test
    void aDatagramSplitsIntoAlignedMessagesWithTheirAttributes() {
        byte[] one = new MessageBuilder(Rtnetlink.RTM_NEWLINK, Rtnetlink.NLM_F_MULTI).ifinfomsg(0, 5, 1, 0)
                .attr(Rtnetlink.IFLA_IFNAME, "veth0")
                .attr(Rtnetlink.IFLA_ADDRESS, new byte[] {2, 0x42, 1, 2, 3, 4})
                .attrInt(Rtnetlink.IFLA_MASTER, 3)
                .beginNest(Rtnetlink.IFLA_LINKINFO).attr(Rtnetlink.IFLA_INFO_KIND, "veth").endNest()
                .build(9);
        byte[] done = new MessageBuilder(Message.NLMSG_DONE, Rtnetlink.NLM_F_MULTI).build(9);
        byte[] datagram = ByteBuffer.allocate(one.length + done.length).put(one).put(done).array();

        List<Message> messages = Message.parseAll(datagram);
        assertThat(messages).extracting(Message::type).containsExactly(Rtnetlink.RTM_NEWLINK, Message.NLMSG_DONE);
        Link link = Rtnetlink.parseLink(messages.get(0));
        assertThat(link.index()).isEqualTo(5);
        assertThat(link.name()).isEqualTo("veth0");
        assertThat(link.up()).isTrue();
        assertThat(Macs.format(link.mac())).isEqualTo("02:42:01:02:03:04");
        assertThat(link.masterIndex()).isEqualTo(3);
        assertThat(link.kind()).isEqualTo("veth");
    }

    @Test
    void anErrorAckBecomesATypedErrorWithTheErrnoNameAndTheKernelsText() {
        // struct nlmsgerr { int error = -EEXIST; struct nlmsghdr msg (capped: header only) } + NLMSGERR_ATTR_MSG
        ByteBuffer payload = ByteBuffer.allocate(4 + 16 + 4 + 16).order(ByteOrder.nativeOrder());
        payload.putInt(-17).putInt(32).putShort((short) 16).putShort((short) 0x605).putInt(3).putInt(0);
        payload.putShort((short) (4 + 15)).putShort((short) Rtnetlink.NLMSGERR_ATTR_MSG).put("File exists now\0".getBytes(), 0, 15);
        Message ack = new Message(Message.NLMSG_ERROR, Rtnetlink.NLM_F_CAPPED | Rtnetlink.NLM_F_ACK_TLVS, 3, payload.array());
        NetlinkException e = Rtnetlink.error("create bridge br0", ack);
        assertThat(e.errno().name()).isEqualTo("EEXIST");
        assertThat(e.getMessage()).isEqualTo("create bridge br0: EEXIST (file exists): File exists now");
    }

    @Test
    void aPlainErrorAckHasNoKernelText() {
        ByteBuffer payload = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(-19);
        NetlinkException e = Rtnetlink.error("delete link x", new Message(Message.NLMSG_ERROR, Rtnetlink.NLM_F_CAPPED, 1, payload.array()));
        assertThat(e.getMessage()).isEqualTo("delete link x: ENODEV (no such device)");
    }

    @Test
    void routesDecodeDestinationGatewayAndTable() {
        byte[] msg = new MessageBuilder(Rtnetlink.RTM_NEWROUTE, 0)
                .rtmsg(Rtnetlink.AF_INET, 0, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTPROT_BOOT, 0, Rtnetlink.RTN_UNICAST)
                .attr(Rtnetlink.RTA_GATEWAY, new byte[] {10, 0, 0, 1})
                .attrInt(Rtnetlink.RTA_OIF, 4)
                .build(1);
        RouteEntry r = Rtnetlink.parseRoute(Message.parseAll(msg).get(0));
        assertThat(r.destination().toString()).isEqualTo("0.0.0.0/0");
        assertThat(r.gateway()).map(Object::toString).contains("10.0.0.1");
        assertThat(r.outputIndex()).isEqualTo(4);
        assertThat(r.table()).isEqualTo(254);
    }
}
