package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.network.netlink.Rtnetlink;
import dev.berth.sys.Fd;
import dev.berth.sys.Namespaces;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bridge networks against the real kernel, with `unshare -n` processes standing in for
 * containers. Each test has its own state dir and nftables table, and checks afterwards that no
 * bridge, veth or table of its own is left.
 */
@Tag("root")
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NetworksTest {
    @TempDir
    Path state;

    private final String table = "berth_t" + HexFormat.of().toHexDigits((int) (Math.random() * Integer.MAX_VALUE));
    private final List<ContainerNetns> containers = new ArrayList<>();
    private final List<String> bridges = new ArrayList<>();
    private final List<String> veths = new ArrayList<>();
    private Networks networks;

    @BeforeEach
    void open() {
        networks = Networks.open(new NetworkOptions(state, table, "b0" + table.substring(7), List.of()));
    }

    @AfterEach
    void cleanUpAndCheckForLeftovers() throws Exception {
        if (networks != null) {
            for (Network n : networks.list()) {
                for (Endpoint e : n.endpoints()) {
                    networks.disconnect(n.id(), e.containerId());
                }
                networks.remove(n.id());
            }
            networks.close();
        }
        ContainerNetns.closeAll(containers);
        for (String link : bridges) {
            assertThat(Path.of("/sys/class/net", link)).doesNotExist();
        }
        for (String link : veths) {
            assertThat(Path.of("/sys/class/net", link)).doesNotExist();
        }
        assertThat(run("nft", "list", "tables")).doesNotContain(table);
    }

    private ContainerNetns container() throws IOException {
        ContainerNetns c = ContainerNetns.start();
        containers.add(c);
        return c;
    }

    private Network create(NetworkSpec spec) {
        Network n = networks.create(spec);
        bridges.add(n.bridge());
        return n;
    }

    private Endpoint connect(Network n, String id, ContainerNetns c, List<PortBinding> ports) {
        Endpoint e = networks.connect(new ConnectRequest(n.name(), id, id, c.netns(), null, List.of(), ports));
        veths.add(e.hostInterface());
        return e;
    }

    private String name(String what) {
        return what + "-" + table;
    }

    @Test
    void twoContainersOnOneNetworkHaveAddressRouteAndReachEachOther() throws Exception {
        Network net = create(NetworkSpec.named(name("n")));
        assertThat(Ipam.defaultPools()).contains(net.subnet());
        assertThat(net.gateway()).isEqualTo(net.subnet().address().plus(1));
        assertThat(Path.of("/sys/class/net", net.bridge())).exists();
        ContainerNetns a = container(), b = container();
        Endpoint ea = connect(net, "aaaa", a, List.of());
        Endpoint eb = connect(net, "bbbb", b, List.of());

        assertThat(ea.ip()).isEqualTo(net.subnet().address().plus(2));
        assertThat(eb.ip()).isEqualTo(net.subnet().address().plus(3));
        assertThat(ea.containerInterface()).isEqualTo("eth0");
        assertThat(a.run("ip", "-o", "-4", "addr", "show", "dev", "eth0").output())
                .contains("inet " + ea.ip() + "/" + net.subnet().prefix());
        assertThat(a.run("ip", "link", "show", "eth0").output()).contains(ea.mac()).contains("state UP");
        assertThat(a.run("ip", "link", "show", "lo").output()).contains("UP");
        assertThat(a.run("ip", "route").output()).contains("default via " + net.gateway() + " dev eth0");
        assertThat(b.run("ip", "route").output()).contains("default via " + net.gateway() + " dev eth0");

        assertThat(a.run("busybox", "ping", "-c1", "-W2", eb.ip().toString()).exit()).isZero();
        assertThat(b.run("busybox", "ping", "-c1", "-W2", ea.ip().toString()).exit()).isZero();

        networks.disconnect(net.name(), "bbbb");
        assertThat(Path.of("/sys/class/net", eb.hostInterface())).doesNotExist();
        assertThat(b.run("ip", "link", "show", "eth0").exit()).isNotZero();
        assertThat(a.run("busybox", "ping", "-c1", "-W1", eb.ip().toString()).exit()).isNotZero();
    }

    @Test
    void aPublishedPortAnswersOnTheHostsLoopbackAndFromAnotherContainer() throws Exception {
        Network net = create(NetworkSpec.named(name("p")));
        ContainerNetns server = container(), client = container();
        Endpoint e = connect(net, "srv", server, List.of(PortBinding.tcp(0, 8080)));
        Endpoint ec = connect(net, "cli", client, List.of());
        PortMapping port = e.ports().get(0);
        assertThat(port.hostPort()).isPositive();
        assertThat(port.containerIp()).isEqualTo(e.ip());

        // one persistent listener (-ll -e: a fresh `echo` per connection) for the three ways in
        Process listener = server.spawn("busybox", "nc", "-ll", "-p", "8080", "-e", "echo", "hello from the container");
        try {
            waitForListener(server, 8080);
            assertThat(read("127.0.0.1", port.hostPort())).isEqualTo("hello from the container");
            assertThat(read(hostAddress(), port.hostPort())).as("the host's own address").isEqualTo("hello from the container");
            // hairpin: another container of the network through the host's address (here its gateway)
            var got = client.run("sh", "-c", "busybox nc -w 3 " + net.gateway() + " " + port.hostPort() + " </dev/null");
            assertThat(got.output()).contains("hello from the container");
        } finally {
            listener.destroyForcibly();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(ec.ports()).isEmpty();

        // the same host port again is refused, and nothing is left half-made
        ContainerNetns third = container();
        assertThatThrownBy(() -> connect(net, "dup", third, List.of(PortBinding.tcp(port.hostPort(), 80))))
                .isInstanceOf(NetworkConflictException.class)
                .hasMessageContaining("port is already allocated");
        assertThat(third.run("ip", "link", "show", "eth0").exit()).isNotZero();
        assertThat(networks.get(net.id()).endpoints()).hasSize(2);

        // while published, no host process can take the port
        assertThatThrownBy(() -> new java.net.ServerSocket(port.hostPort()).close()).isInstanceOf(java.net.BindException.class);

        networks.disconnect(net.id(), "srv");
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port.hostPort()), 2000))
                    .isInstanceOf(IOException.class);
        }
        new java.net.ServerSocket(port.hostPort()).close();
    }

    @Test
    void aPortPublishedOnOneHostAddressAnswersOnlyThere() throws Exception {
        Network net = create(NetworkSpec.named(name("lo")));
        ContainerNetns server = container();
        Endpoint e = connect(net, "lo1", server, List.of(new PortBinding(Ipv4.parse("127.0.0.1"), 0, 8080, PortBinding.Protocol.tcp)));
        int port = e.ports().get(0).hostPort();
        assertThat(e.ports().get(0).hostIp()).isEqualTo(Ipv4.parse("127.0.0.1"));
        String hostAddress = hostAddress();
        Process listener = server.spawn("busybox", "nc", "-l", "-p", "8080", "-e", "echo", "local-only");
        try {
            waitForListener(server, 8080);
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress(hostAddress, port), 1000))
                        .as("not on " + hostAddress).isInstanceOf(IOException.class);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
                s.setSoTimeout(3000);
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("local-only");
            }
        } finally {
            listener.destroyForcibly();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** An IPv4 address of this host that is not loopback (its own, so traffic stays on this machine). */
    private static String hostAddress() throws Exception {
        try (Rtnetlink nl = Rtnetlink.open()) {
            return nl.addresses().stream().map(a -> a.address()).filter(a -> !a.toString().startsWith("127."))
                    .findFirst().orElseThrow().toString();
        }
    }

    @Test
    void pruneRemovesTheNetworksWithoutEndpoints() throws Exception {
        Network used = create(NetworkSpec.named(name("used")));
        Network unused = create(NetworkSpec.named(name("unused")));
        connect(used, "u1", container(), List.of());
        assertThat(networks.prune()).containsExactly(unused.name());
        assertThat(networks.list()).extracting(Network::name).containsExactly(used.name());
        assertThat(Path.of("/sys/class/net", unused.bridge())).doesNotExist();
    }

    @Test
    void aHostPortAProcessAlreadyHasIsRefused() throws Exception {
        Network net = create(NetworkSpec.named(name("busy")));
        ContainerNetns a = container();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            assertThatThrownBy(() -> connect(net, "busy1", a, List.of(PortBinding.tcp(taken.getLocalPort(), 80))))
                    .isInstanceOf(NetworkConflictException.class)
                    .hasMessageContaining("Bind for 0.0.0.0:" + taken.getLocalPort() + " failed: port is already allocated");
        }
        assertThat(networks.get(net.id()).endpoints()).isEmpty();
        assertThat(a.run("ip", "link", "show", "eth0").exit()).isNotZero();
    }

    @Test
    void containersOnDifferentNetworksCannotReachEachOther() throws Exception {
        Network one = create(NetworkSpec.named(name("one")));
        Network two = create(NetworkSpec.named(name("two")));
        assertThat(one.subnet().overlaps(two.subnet())).isFalse();
        ContainerNetns a = container(), b = container();
        Endpoint ea = connect(one, "a1", a, List.of());
        Endpoint eb = connect(two, "b2", b, List.of(PortBinding.tcp(0, 8080)));
        // each reaches its own gateway, so the path itself works ...
        assertThat(a.run("busybox", "ping", "-c1", "-W2", one.gateway().toString()).exit()).isZero();
        assertThat(b.run("busybox", "ping", "-c1", "-W2", two.gateway().toString()).exit()).isZero();
        // ... but not the other network, either way
        assertThat(a.run("busybox", "ping", "-c1", "-W1", eb.ip().toString()).exit()).isNotZero();
        assertThat(b.run("busybox", "ping", "-c1", "-W1", ea.ip().toString()).exit()).isNotZero();
        // what another network's container publishes on the host is reachable through the host, as in docker
        Process listener = b.spawn("busybox", "nc", "-l", "-p", "8080", "-e", "echo", "published");
        try {
            waitForListener(b, 8080);
            assertThat(a.run("sh", "-c", "busybox nc -w 1 " + eb.ip() + " 8080 </dev/null").output())
                    .as("not directly").doesNotContain("published");
            var got = a.run("sh", "-c", "busybox nc -w 3 " + one.gateway() + " " + eb.ports().get(0).hostPort() + " </dev/null");
            assertThat(got.output()).contains("published");
        } finally {
            listener.destroyForcibly();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * "Outside" is a netns behind a plain veth from the host with an address the containers'
     * subnets know nothing about and no route back to them: only masqueraded traffic gets an answer.
     */
    @Test
    void outboundTrafficIsMasqueradedExceptFromAnInternalNetwork() throws Exception {
        ContainerNetns outside = container();
        String hostEnd = "bo" + table.substring(7), peer = "bq" + table.substring(7);
        veths.add(hostEnd);
        try (Rtnetlink nl = Rtnetlink.open(); Fd ns = Namespaces.open(outside.netns())) {
            nl.createVethPair(hostEnd, peer);
            try {
                nl.addAddress(hostEnd, Ipv4.parse("10.254.77.1"), 30);
                nl.setUp(hostEnd);
                nl.moveToNamespace(peer, ns);
                try (Rtnetlink in = Rtnetlink.openIn(outside.netns())) {
                    in.addAddress(peer, Ipv4.parse("10.254.77.2"), 30);
                    in.setUp(peer);
                }
                Network open = create(NetworkSpec.named(name("open")));
                Network internal = create(new NetworkSpec(name("int"), null, null, null, true, Map.of()));
                ContainerNetns a = container(), b = container();
                connect(open, "open1", a, List.of());
                connect(internal, "int1", b, List.of());
                assertThat(a.run("busybox", "ping", "-c1", "-W2", "10.254.77.2").exit()).isZero();
                assertThat(b.run("busybox", "ping", "-c1", "-W1", "10.254.77.2").exit()).isNotZero();
                assertThatThrownBy(() -> networks.connect(new ConnectRequest(internal.id(), "int2", "int2",
                        b.netns(), null, List.of(), List.of(PortBinding.tcp(0, 80)))))
                        .isInstanceOf(InvalidNetworkRequestException.class);
            } finally {
                nl.deleteLink(hostEnd);
            }
        }
    }

    @Test
    void leasesAndNetworksSurviveAReload() throws Exception {
        Network net = create(new NetworkSpec(name("r"), Subnet.parse("10.251.0.0/24"), null,
                Subnet.parse("10.251.0.128/25"), false, Map.of("purpose", "reload")));
        ContainerNetns a = container(), b = container(), c = container();
        Endpoint ea = connect(net, "c-a", a, List.of());
        assertThat(ea.ip()).isEqualTo(Ipv4.parse("10.251.0.128"));
        networks.close();

        // meanwhile someone took the bridge's address away and set it down: open puts both back
        assertThat(run("ip", "addr", "flush", "dev", net.bridge())).isEmpty();
        assertThat(run("ip", "link", "set", net.bridge(), "down")).isEmpty();
        networks = Networks.open(new NetworkOptions(state, table, "b0" + table.substring(7), List.of()));
        assertThat(run("ip", "-o", "-4", "addr", "show", "dev", net.bridge())).contains("inet " + net.gateway() + "/24");
        Network again = networks.get(name("r"));
        assertThat(again).isEqualTo(networks.get(net.id()));
        assertThat(again.labels()).containsEntry("purpose", "reload");
        assertThat(again.ipRange()).isEqualTo(Subnet.parse("10.251.0.128/25"));
        assertThat(again.endpoints()).containsExactly(ea);
        Endpoint eb = connect(again, "c-b", b, List.of());
        assertThat(eb.ip()).isEqualTo(Ipv4.parse("10.251.0.129"));
        assertThat(a.run("busybox", "ping", "-c1", "-W2", eb.ip().toString()).exit()).isZero();

        networks.disconnect(net.id(), "c-a");
        Endpoint ec = connect(networks.get(net.id()), "c-c", c, List.of());
        assertThat(ec.ip()).as("a released lease is handed out again").isEqualTo(Ipv4.parse("10.251.0.128"));
        Endpoint fixed = networks.connect(new ConnectRequest(net.id(), "c-a", "c-a", a.netns(), Ipv4.parse("10.251.0.200"), List.of("web"), List.of()));
        veths.add(fixed.hostInterface());
        assertThat(fixed.ip()).isEqualTo(Ipv4.parse("10.251.0.200"));
        assertThat(fixed.aliases()).containsExactly("web");
    }

    /** A container that died while the daemon was away took its veth with it: its lease is released on open. */
    @Test
    void anEndpointWhoseContainerIsGoneIsDroppedOnReload() throws Exception {
        Network net = create(new NetworkSpec(name("d"), Subnet.parse("10.251.1.0/24"), null, null, false, Map.of()));
        ContainerNetns a = container(), b = container();
        Endpoint ea = connect(net, "dies", a, List.of(PortBinding.tcp(0, 80)));
        Endpoint eb = connect(net, "lives", b, List.of());
        networks.close();
        a.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Files.exists(Path.of("/sys/class/net", ea.hostInterface())) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Path.of("/sys/class/net", ea.hostInterface())).as("the netns took the veth with it").doesNotExist();

        networks = Networks.open(new NetworkOptions(state, table, "b0" + table.substring(7), List.of()));
        assertThat(networks.get(net.id()).endpoints()).containsExactly(eb);
        assertThat(run("nft", "list", "table", "ip", table)).doesNotContain("dnat to");
        ContainerNetns c = container();
        assertThat(connect(net, "new", c, List.of()).ip()).isEqualTo(ea.ip());
        assertThat(b.run("busybox", "ping", "-c1", "-W2", ea.ip().toString()).exit()).isZero();
    }

    @Test
    void badRequestsGetClearErrorsAndLeaveNothing() throws Exception {
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/33")).isInstanceOf(InvalidNetworkRequestException.class);
        assertThatThrownBy(() -> Subnet.parse("10.0.0.1/24")).hasMessageContaining("it should be 10.0.0.0/24");
        Network net = create(new NetworkSpec(name("x"), Subnet.parse("10.252.0.0/16"), null, null, false, Map.of()));
        assertThatThrownBy(() -> networks.create(new NetworkSpec(name("y"), Subnet.parse("10.252.4.0/24"), null, null, false, Map.of())))
                .isInstanceOf(NetworkConflictException.class).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> networks.create(NetworkSpec.named(name("x"))))
                .isInstanceOf(NetworkConflictException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> networks.create(new NetworkSpec(name("z"), Subnet.parse("10.253.0.0/16"), Ipv4.parse("10.9.9.9"), null, false, Map.of())))
                .isInstanceOf(InvalidNetworkRequestException.class).hasMessageContaining("gateway");
        assertThat(networks.list()).extracting(Network::name).containsExactly(name("x"));

        ContainerNetns a = container(), b = container();
        connect(net, "e1", a, List.of());
        assertThatThrownBy(() -> networks.connect(new ConnectRequest(net.id(), "e2", "e2", b.netns(), Ipv4.parse("10.252.0.2"), List.of(), List.of())))
                .isInstanceOf(NetworkConflictException.class).hasMessageContaining("Address already in use");
        assertThatThrownBy(() -> networks.connect(new ConnectRequest(net.id(), "e2", "e2", b.netns(), Ipv4.parse("10.99.0.2"), List.of(), List.of())))
                .isInstanceOf(InvalidNetworkRequestException.class);
        assertThatThrownBy(() -> networks.connect(new ConnectRequest(net.id(), "e2", "e2", Path.of("/nonexistent/netns"), null, List.of(), List.of())))
                .isInstanceOf(InvalidNetworkRequestException.class).hasMessageContaining("/nonexistent/netns");
        // our veths on the host (other software's links may come and go meanwhile)
        List<String> hostLinks = run("ip", "-o", "link").lines().map(l -> l.split(":")[1].strip()).filter(l -> l.startsWith("bv")).sorted().toList();
        assertThatThrownBy(() -> networks.connect(new ConnectRequest(net.id(), "e2", "e2", Path.of("/proc/self/ns/net"), null, List.of(), List.of())))
                .isInstanceOf(InvalidNetworkRequestException.class).hasMessageContaining("daemon's own network namespace");
        assertThat(run("ip", "-o", "link").lines().map(l -> l.split(":")[1].strip()).filter(l -> l.startsWith("bv")).sorted().toList())
                .isEqualTo(hostLinks);
        assertThat(b.run("ip", "link", "show", "eth0").exit()).isNotZero();
        assertThatThrownBy(() -> networks.remove(net.id())).isInstanceOf(NetworkConflictException.class)
                .hasMessageContaining("active endpoints");
        assertThatThrownBy(() -> networks.get("no-such-network")).isInstanceOf(NetworkNotFoundException.class);
        assertThatThrownBy(() -> networks.disconnect(net.id(), "e2")).isInstanceOf(NetworkNotFoundException.class);
    }

    @Test
    void removingEverythingLeavesNoBridgeVethOrTable() throws Exception {
        Network net = create(NetworkSpec.named(name("gone")));
        ContainerNetns a = container();
        Endpoint e = connect(net, "g1", a, List.of(PortBinding.tcp(0, 80)));
        assertThat(run("nft", "list", "table", "ip", table)).contains("dport " + e.ports().get(0).hostPort())
                .contains("masquerade").contains(net.bridge());
        networks.disconnect(net.id(), "g1");
        networks.remove(net.id());
        assertThat(Path.of("/sys/class/net", net.bridge())).doesNotExist();
        assertThat(Path.of("/sys/class/net", e.hostInterface())).doesNotExist();
        assertThat(run("nft", "list", "tables")).doesNotContain(table);
        assertThat(Files.list(state.resolve("networks")).toList()).isEmpty();
    }

    // ---- helpers

    /** What a connection from the host to {@code host}:{@code port} reads until the other side closes. */
    private static String read(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 3000);
            s.setSoTimeout(3000);
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private static void waitForListener(ContainerNetns c, int port) throws Exception {
        String hex = String.format(":%04X ", port);
        for (int i = 0; i < 200; i++) {
            // busybox nc listens on :: (dual-stack), which shows in tcp6
            var tcp = c.run("cat", "/proc/net/tcp", "/proc/net/tcp6");
            if (tcp.output().lines().anyMatch(l -> l.contains(hex) && l.contains(" 0A "))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("nothing listens on " + port);
    }

    private static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
