package dev.berth.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.network.ConnectRequest;
import dev.berth.network.ContainerNetns;
import dev.berth.network.Endpoint;
import dev.berth.network.Ipv4;
import dev.berth.network.Network;
import dev.berth.network.NetworkOptions;
import dev.berth.network.NetworkSpec;
import dev.berth.network.Networks;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded DNS server as a container sees it: busybox nslookup against 127.0.0.11 inside the
 * netns. The "host's resolver" is a fake one on this machine's loopback that knows one name.
 */
@Tag("root")
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EmbeddedDnsTest {
    @TempDir
    Path state;

    private final String table = "berth_d" + HexFormat.of().toHexDigits((int) (Math.random() * Integer.MAX_VALUE));
    private final List<ContainerNetns> containers = new ArrayList<>();
    private final List<String> links = new ArrayList<>();
    private DatagramSocket upstream;
    private java.net.ServerSocket upstreamTcp;
    private Thread upstreamLoop, upstreamTcpLoop;
    private Networks networks;

    @BeforeEach
    void start() throws Exception {
        // the fake resolver answers on one port number over UDP and TCP, as a real one does
        upstreamTcp = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        upstream = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamTcp.getLocalPort()));
        upstreamLoop = Thread.ofVirtual().start(this::fakeResolver);
        upstreamTcpLoop = Thread.ofVirtual().start(this::fakeTcpResolver);
        networks = Networks.open(options());
    }

    private NetworkOptions options() {
        return new NetworkOptions(state, table, "b0" + table.substring(7), List.of((InetSocketAddress) upstream.getLocalSocketAddress()));
    }

    /** Answers outside.test with 192.0.2.123 and everything else with NXDOMAIN. */
    private static byte[] fakeAnswer(byte[] packet, int length) {
        var q = DnsMessage.parseQuery(packet, length).orElseThrow();
        boolean known = q.name().equals("outside.test") && q.type() == DnsMessage.TYPE_A;
        return DnsMessage.answer(packet, q, known ? DnsMessage.RCODE_OK : DnsMessage.RCODE_NXDOMAIN,
                known ? List.of(Ipv4.parse("192.0.2.123")) : List.of());
    }

    private void fakeResolver() {
        byte[] buf = new byte[512];
        while (!upstream.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                upstream.receive(p);
                byte[] a = fakeAnswer(p.getData(), p.getLength());
                upstream.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
            } catch (Exception e) {
                // closed
            }
        }
    }

    private void fakeTcpResolver() {
        while (!upstreamTcp.isClosed()) {
            try (java.net.Socket s = upstreamTcp.accept()) {
                var in = new java.io.DataInputStream(s.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                byte[] a = fakeAnswer(q, q.length);
                var out = new java.io.DataOutputStream(s.getOutputStream());
                out.writeShort(a.length);
                out.write(a);
            } catch (Exception e) {
                // closed
            }
        }
    }

    /** One DNS query over TCP to 127.0.0.11:53 from inside {@code c}'s netns; returns the answer's rcode and A records. */
    private static String queryOverTcp(ContainerNetns c, String name) {
        return dev.berth.network.internal.InNetns.call(c.netns(), () -> {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new InetSocketAddress(DnsServer.ADDRESS, 53), 2000);
                s.setSoTimeout(5000);
                byte[] q = DnsMessage.query(42, name, DnsMessage.TYPE_A);
                var out = new java.io.DataOutputStream(s.getOutputStream());
                out.writeShort(q.length);
                out.write(q);
                var in = new java.io.DataInputStream(s.getInputStream());
                byte[] a = new byte[in.readUnsignedShort()];
                in.readFully(a);
                int answers = (a[6] & 0xff) << 8 | a[7] & 0xff;
                StringBuilder b = new StringBuilder("rcode=" + (a[3] & 0xf));
                for (int i = 0; i < answers; i++) {
                    int at = a.length - 4 * (answers - i);
                    b.append(' ').append(Ipv4.of(java.util.Arrays.copyOfRange(a, at, at + 4)));
                }
                return b.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Network n : networks.list()) {
            for (Endpoint e : n.endpoints()) {
                networks.disconnect(n.id(), e.containerId());
            }
            networks.remove(n.id());
        }
        networks.close();
        upstream.close();
        upstreamTcp.close();
        upstreamLoop.join(2000);
        upstreamTcpLoop.join(2000);
        ContainerNetns.closeAll(containers);
        for (String l : links) {
            assertThat(Path.of("/sys/class/net", l)).doesNotExist();
        }
    }

    private static String id() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private Endpoint connect(Network n, String id, String name, ContainerNetns c, List<String> aliases) {
        Endpoint e = networks.connect(new ConnectRequest(n.id(), id, name, c.netns(), null, aliases, List.of()));
        links.add(e.hostInterface());
        return e;
    }

    private ContainerNetns container() throws Exception {
        ContainerNetns c = ContainerNetns.start();
        containers.add(c);
        return c;
    }

    private static String lookup(ContainerNetns c, String name) throws Exception {
        return c.run("busybox", "nslookup", name, "127.0.0.11").output();
    }

    @Test
    void containersResolveEachOtherByNameAliasAndShortIdAndOtherNamesAreForwarded() throws Exception {
        Network one = networks.create(NetworkSpec.named("dns1-" + table));
        Network two = networks.create(NetworkSpec.named("dns2-" + table));
        links.add(one.bridge());
        links.add(two.bridge());
        ContainerNetns a = container(), b = container(), c = container();
        String idA = id(), idB = id();
        Endpoint ea = connect(one, idA, "alpha", a, List.of("web"));
        Endpoint eb = connect(one, idB, "bravo", b, List.of());
        connect(two, id(), "charlie", c, List.of());

        assertThat(lookup(a, "bravo")).contains("Address: " + eb.ip());
        assertThat(lookup(b, "alpha")).contains("Address: " + ea.ip());
        assertThat(lookup(b, "web")).contains("Address: " + ea.ip());
        assertThat(lookup(a, idB.substring(0, 12))).contains("Address: " + eb.ip());
        assertThat(lookup(a, "outside.test")).contains("Address: 192.0.2.123");
        assertThat(lookup(a, "nowhere.test")).contains("NXDOMAIN");
        // over TCP (what a client does after a truncated UDP answer), local and forwarded
        assertThat(queryOverTcp(a, "bravo")).isEqualTo("rcode=0 " + eb.ip());
        assertThat(queryOverTcp(a, "outside.test")).isEqualTo("rcode=0 192.0.2.123");
        assertThat(queryOverTcp(a, "nowhere.test")).isEqualTo("rcode=3");
        // charlie is on another network: bravo is not a name it knows (the upstream says NXDOMAIN)
        assertThat(lookup(c, "bravo")).contains("NXDOMAIN").doesNotContain(eb.ip().toString());

        // a restarted daemon serves again
        networks.close();
        networks = Networks.open(options());
        assertThat(lookup(a, "bravo")).contains("Address: " + eb.ip());

        // once disconnected from its last user network, nothing listens on 127.0.0.11:53 there
        networks.disconnect(one.id(), idA);
        String udp = a.run("cat", "/proc/net/udp").output();
        assertThat(udp).doesNotContain("0B00007F:0035");
        assertThat(lookup(b, "alpha")).contains("NXDOMAIN");
    }

    /** --dns: the container's own servers (port 53) instead of the daemon's upstreams. */
    @Test
    void aContainersOwnDnsServersAreItsUpstreams() throws Exception {
        java.util.Random r = new java.util.Random();
        Ipv4 own = Ipv4.parse("127.88." + (1 + r.nextInt(250)) + "." + (1 + r.nextInt(250)));
        Thread t;
        try (DatagramSocket ownServer = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(own.bytes()), 53))) {
            t = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[512];
                while (!ownServer.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        ownServer.receive(p);
                        var q = DnsMessage.parseQuery(p.getData(), p.getLength()).orElseThrow();
                        List<Ipv4> as = q.type() == DnsMessage.TYPE_A ? List.of(Ipv4.parse("192.0.2.77")) : List.of();
                        byte[] a = DnsMessage.answer(p.getData(), q, DnsMessage.RCODE_OK, as);
                        ownServer.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                    } catch (Exception e) {
                        // closed
                    }
                }
            });
            Network net = networks.create(NetworkSpec.named("dnsown-" + table));
            links.add(net.bridge());
            ContainerNetns a = container();
            Endpoint e = networks.connect(new ConnectRequest(net.id(), id(), "own", a.netns(), null, List.of(), List.of(), List.of(own)));
            links.add(e.hostInterface());
            assertThat(e.dnsServers()).containsExactly(own);
            assertThat(lookup(a, "outside.test")).contains("Address: 192.0.2.77").doesNotContain("192.0.2.123");
        }
        t.join(5000);
    }

    /** The last step of connect fails (53 is taken in the netns): everything before it is undone. */
    @Test
    void aConnectThatFailsAtItsLastStepLeavesNothingBehind() throws Exception {
        Network net = networks.create(NetworkSpec.named("dnsfail-" + table));
        links.add(net.bridge());
        ContainerNetns a = container();
        assertThat(a.run("ip", "link", "set", "lo", "up").exit()).isZero();
        List<String> before = hostLinks();
        try (DnsServer squatter = DnsServer.start(a.netns(), "squatter", n -> List.of(), List.of())) {
            assertThatThrownBy(() -> networks.connect(new ConnectRequest(net.id(), id(), "x", a.netns(), null, List.of(),
                    List.of(dev.berth.network.PortBinding.tcp(0, 80)))))
                    .hasMessageContaining("127.0.0.11:53");
        }
        assertThat(networks.get(net.id()).endpoints()).isEmpty();
        assertThat(a.run("ip", "link", "show", "eth0").exit()).isNotZero();
        assertThat(hostLinks()).isEqualTo(before);
        var nft = new ProcessBuilder("nft", "list", "table", "ip", table).redirectErrorStream(true).start();
        assertThat(new String(nft.getInputStream().readAllBytes())).contains(net.bridge()).doesNotContain("dnat to");
        // and the network is still usable
        ContainerNetns b = container();
        Endpoint eb = connect(net, id(), "b", b, List.of());
        assertThat(eb.ip()).isEqualTo(net.subnet().address().plus(2));
    }

    private static List<String> hostLinks() throws java.io.IOException {
        try (var s = java.nio.file.Files.list(Path.of("/sys/class/net"))) {
            // our host-side veths only: other software's links may come and go meanwhile
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("bv")).sorted().toList();
        }
    }

    @Test
    void theDefaultBridgeHasNoEmbeddedDns() throws Exception {
        Network bridge = networks.defaultNetwork();
        links.add(bridge.bridge());
        assertThat(bridge.name()).isEqualTo(Networks.DEFAULT_NETWORK);
        assertThat(bridge.bridge()).isEqualTo("b0" + table.substring(7));
        assertThat(networks.defaultNetwork()).isEqualTo(bridge);
        ContainerNetns a = container();
        // docker's rules for the default network: no --ip, no --alias
        assertThatThrownBy(() -> connect(bridge, id(), "fixed", a, List.of("x")))
                .isInstanceOf(dev.berth.network.InvalidNetworkRequestException.class).hasMessageContaining("alias");
        assertThatThrownBy(() -> networks.connect(new ConnectRequest(bridge.id(), id(), "fixed", a.netns(),
                bridge.subnet().address().plus(9), List.of(), List.of())))
                .isInstanceOf(dev.berth.network.InvalidNetworkRequestException.class).hasMessageContaining("user defined networks only");
        connect(bridge, id(), "lonely", a, List.of());
        assertThat(a.run("cat", "/proc/net/udp").output()).doesNotContain("0B00007F:0035");
    }
}
