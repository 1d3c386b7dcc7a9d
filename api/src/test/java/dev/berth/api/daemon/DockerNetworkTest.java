package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Networking through the real docker CLI: the default bridge, user-defined networks with DNS by
 * name and alias, isolation between networks, published ports answering on the host's
 * 127.0.0.1, --network none and container:x, connect/disconnect of a running container, the
 * daemon killed and started again with containers running, docker's errors; and nothing of the
 * test's networking left afterwards. Traffic stays on loopback and the containers' addresses.
 */
@Tag("root")
class DockerNetworkTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;
    static String bridge, table;

    /** The image and a command answering "hello" to every connection on port 80 (busybox nc -ll: keeps listening). */
    private static final String[] SERVER = {"busybox", "busybox", "nc", "-ll", "-p", "80", "-e", "busybox", "echo", "hello"};

    @BeforeAll
    static void start() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        bridge = daemon.bridge();
        table = daemon.nftTable();
    }

    @AfterAll
    static void noLeftovers() throws Exception {
        for (String n : List.of("tnet1", "tnet2", "tnet3", "tnet4")) {
            if (daemon != null) {
                daemon.docker("network", "rm", n);
            }
        }
        Leftovers.removeContainersAndStop(daemon, tmp);
        assertThat(run("ip", "-o", "link", "show", bridge)).isEmpty();
        assertThat(run("nft", "list", "table", "ip", table)).isEmpty();
        assertThat(run("ip", "-o", "link").lines().filter(l -> l.contains(" berth-")).toList())
                .as("bridges of the test's user networks").isEmpty();
    }

    @Test
    void defaultBridgeGivesAnAddressARouteAndTheFiles() throws Exception {
        String out = daemon.ok("run", "--rm", "busybox", "sh", "-c",
                "busybox ip -4 addr show eth0; busybox ip route; cat /etc/hosts /etc/resolv.conf /etc/hostname");
        assertThat(out).contains("inet 172.").contains("default via").contains("localhost");
        assertThat(daemon.ok("network", "ls", "--format", "{{.Name}} {{.Driver}}"))
                .contains("bridge bridge").contains("host host").contains("none null");
        assertThat(daemon.ok("network", "inspect", "bridge", "--format", "{{index .Options \"com.docker.network.bridge.name\"}}"))
                .isEqualTo(bridge);
        DaemonProcess.Result rm = daemon.docker("network", "rm", "bridge");
        assertThat(rm.exit()).isNotZero();
        assertThat(rm.err()).contains("bridge is a pre-defined network and cannot be removed");
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByNameAndAliasAndOthersCannot() throws Exception {
        daemon.ok("network", "create", "tnet1");
        daemon.ok("network", "create", "--subnet", "10.213.7.0/24", "tnet2");
        daemon.ok(concat(List.of("run", "-d", "--name", "srv1", "--network", "tnet1", "--network-alias", "web"), SERVER));
        String ip = daemon.ok("inspect", "--format", "{{.NetworkSettings.Networks.tnet1.IPAddress}}", "srv1");
        assertThat(ip).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        String out = daemon.ok("run", "--rm", "--network", "tnet1", "busybox", "sh", "-c",
                "for i in 1 2 3 4 5 6 7 8 9 10; do busybox nc srv1 80 </dev/null && break; sleep 0.3; done;"
                        + " busybox nslookup web; echo | busybox nc web 80; cat /etc/resolv.conf");
        assertThat(out).contains("hello\n").contains("Address: " + ip).contains("nameserver 127.0.0.11");
        assertThat(out.split("hello", -1)).hasSizeGreaterThanOrEqualTo(3);

        String fixed = daemon.ok("run", "--rm", "--network", "tnet2", "--ip", "10.213.7.77", "busybox", "sh", "-c",
                "busybox ip -4 addr show eth0; echo | busybox nc -w 2 " + ip + " 80; true");
        // (no nslookup of srv1 here: its DNS server would forward the unknown name off the machine)
        assertThat(fixed).contains("10.213.7.77/24").doesNotContain("hello");

        // Renamed, it answers to its new name at once.
        daemon.ok("rename", "srv1", "srv1-renamed");
        assertThat(daemon.ok("run", "--rm", "--network", "tnet1", "busybox", "busybox", "nslookup", "srv1-renamed"))
                .contains("Address: " + ip);

        DaemonProcess.Result rm = daemon.docker("network", "rm", "tnet1");
        assertThat(rm.exit()).isNotZero();
        assertThat(rm.err()).contains("has active endpoints");
        daemon.ok("rm", "-f", "srv1-renamed");
        daemon.ok("network", "rm", "tnet1", "tnet2");
    }

    @Test
    void aPublishedPortAnswersOnTheHostsLoopbackAndATakenOneIsAClearError() throws Exception {
        daemon.ok(concat(List.of("run", "-d", "--name", "pub", "-p", "127.0.0.1::80", "-p", "9999/udp"), SERVER));
        String port = daemon.ok("port", "pub", "80/tcp");
        assertThat(port).startsWith("127.0.0.1:");
        int hostPort = Integer.parseInt(port.substring(port.indexOf(':') + 1));
        assertThat(daemon.ok("port", "pub")).contains("80/tcp -> 127.0.0.1:" + hostPort).contains("9999/udp -> 0.0.0.0:");
        assertThat(daemon.ok("ps", "--filter", "name=pub", "--format", "{{.Ports}}")).contains("127.0.0.1:" + hostPort + "->80/tcp");
        assertThat(readHello(hostPort)).isEqualTo("hello");

        int veths = run("ip", "-o", "link", "show", "master", bridge).lines().toList().size();
        DaemonProcess.Result taken = daemon.docker("run", "-d", "--name", "pub2", "-p", "127.0.0.1:" + hostPort + ":80", "busybox", "sleep", "60");
        assertThat(taken.exit()).isEqualTo(125);
        assertThat(taken.err()).contains("port is already allocated");
        assertThat(daemon.ok("inspect", "--format", "{{.State.Running}}", "pub2")).isEqualTo("false");
        assertThat(run("ip", "-o", "link", "show", "master", bridge).lines().toList()).hasSize(veths);
        daemon.ok("rm", "-f", "pub", "pub2");
        assertThat(run("ip", "-o", "link", "show", "master", bridge).lines().toList()).hasSize(veths - 1);
    }

    @Test
    void psFiltersByNetworkPublishedAndExposedPorts() throws Exception {
        daemon.ok("network", "create", "tnet4");
        daemon.ok("run", "-d", "--name", "pf-net", "--network", "tnet4", "busybox", "sleep", "600");
        daemon.ok("run", "-d", "--name", "pf-pub", "-p", "127.0.0.1::80", "busybox", "sleep", "600");
        daemon.ok("run", "-d", "--name", "pf-exp", "--expose", "8125/udp", "busybox", "sleep", "600");
        daemon.ok("create", "--name", "pf-host", "--network", "host", "busybox", "true");
        int hostPort = Integer.parseInt(daemon.ok("port", "pf-pub", "80/tcp").replaceFirst(".*:", ""));
        String netId = daemon.ok("network", "inspect", "--format", "{{.Id}}", "tnet4");

        assertThat(ps("network=tnet4")).containsExactly("pf-net");
        assertThat(ps("network=" + netId.substring(0, 12))).containsExactly("pf-net");
        assertThat(ps("network=host")).containsExactly("pf-host");
        assertThat(ps("network=bridge")).containsExactlyInAnyOrder("pf-pub", "pf-exp");
        // publish: the host's side of a mapping; expose: the container's, published or only exposed.
        assertThat(ps("publish=" + hostPort)).containsExactly("pf-pub");
        assertThat(ps("publish=" + hostPort + "/tcp")).containsExactly("pf-pub");
        assertThat(ps("publish=" + (hostPort - 1) + "-" + (hostPort + 1))).containsExactly("pf-pub");
        assertThat(ps("publish=" + hostPort + "/udp")).isEmpty();
        assertThat(ps("publish=80")).isEmpty();
        assertThat(ps("expose=80")).containsExactly("pf-pub");
        assertThat(ps("expose=8125/udp")).containsExactly("pf-exp");
        assertThat(ps("expose=8100-8200/udp")).containsExactly("pf-exp");
        assertThat(ps("expose=8125")).isEmpty();
        // isolation is Windows': on Linux dockerd lets every container through.
        assertThat(ps("isolation=default")).containsExactlyInAnyOrder("pf-net", "pf-pub", "pf-exp", "pf-host");
        DaemonProcess.Result bad = daemon.docker("ps", "--filter", "publish=127.0.0.1:80");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("filter for 'publish' should not contain ':': 127.0.0.1:80");
        daemon.ok("rm", "-f", "pf-net", "pf-pub", "pf-exp", "pf-host");
        daemon.ok("network", "rm", "tnet4");
    }

    /** The names of the test's containers (pf-) that `docker ps -a --filter` lists. */
    private static List<String> ps(String filter) throws Exception {
        return daemon.ok("ps", "-a", "--filter", "name=pf-", "--filter", filter, "--format", "{{.Names}}").lines().toList();
    }

    @Test
    void networkOptionsBerthCannotCarryOutAreRefusedByName() throws Exception {
        String[][] cases = {
                {"-o", "com.docker.network.bridge.name=other0", "Options (--opt)"},
                {"--ipam-opt", "foo=bar", "IPAM.Options (--ipam-opt)"},
                {"--ipam-driver", "dhcp", "Driver (--ipam-driver)"},
                {"--config-only", "", "ConfigOnly (--config-only)"}};
        for (String[] c : cases) {
            DaemonProcess.Result r = c[1].isEmpty() ? daemon.docker("network", "create", c[0], "refused-net")
                    : daemon.docker("network", "create", c[0], c[1], "refused-net");
            assertThat(r.exit()).as(c[0]).isEqualTo(1);
            assertThat(r.err()).as(c[0]).contains(c[2] + " is not supported by berth");
        }
        assertThat(daemon.ok("network", "ls", "--format", "{{.Name}}")).doesNotContain("refused-net");
    }

    @Test
    void noneHasOnlyLoHostTheHostsStackAndContainerModeSharesTheNetns() throws Exception {
        String dev = daemon.ok("run", "--rm", "--network", "none", "busybox", "cat", "/proc/net/dev");
        assertThat(dev).contains("lo:").doesNotContain("eth0");
        // host: the host's stack, where the daemon's bridge is.
        assertThat(daemon.ok("run", "--rm", "--network", "host", "busybox", "cat", "/proc/net/dev")).contains(bridge + ":");
        daemon.ok("run", "-d", "--name", "owner", "busybox", "sleep", "60");
        String ip = daemon.ok("inspect", "--format", "{{.NetworkSettings.IPAddress}}", "owner");
        assertThat(daemon.ok("run", "--rm", "--network", "container:owner", "busybox", "busybox", "ip", "-4", "addr", "show", "eth0"))
                .contains("inet " + ip + "/");
        daemon.ok("rm", "-f", "owner");
    }

    @Test
    void aRunningContainerIsConnectedAndDisconnected() throws Exception {
        daemon.ok("network", "create", "--subnet", "10.213.9.0/24", "tnet3");
        daemon.ok("run", "-d", "--name", "roamer", "busybox", "sleep", "60");
        daemon.ok("network", "connect", "--alias", "wanderer", "--ip", "10.213.9.50", "tnet3", "roamer");
        assertThat(daemon.ok("exec", "roamer", "busybox", "ip", "-4", "addr")).contains("10.213.9.50/24");
        assertThat(daemon.ok("exec", "roamer", "cat", "/etc/hosts")).contains("10.213.9.50");
        assertThat(daemon.ok("inspect", "--format", "{{json .NetworkSettings.Networks.tnet3.Aliases}}", "roamer")).contains("wanderer");
        assertThat(daemon.ok("run", "--rm", "--network", "tnet3", "busybox", "busybox", "nslookup", "wanderer")).contains("10.213.9.50");
        daemon.ok("network", "disconnect", "tnet3", "roamer");
        assertThat(daemon.ok("exec", "roamer", "busybox", "ip", "-4", "addr")).doesNotContain("10.213.9.50");
        assertThat(daemon.ok("exec", "roamer", "cat", "/etc/hosts")).doesNotContain("10.213.9.50");
        String events = daemon.ok("events", "--since", "0", "--until", String.valueOf(java.time.Instant.now().getEpochSecond() + 1),
                "--filter", "type=network", "--filter", "network=tnet3");
        assertThat(events).contains("network connect").contains("network disconnect").contains("name=tnet3");
        daemon.ok("rm", "-f", "roamer");
        daemon.ok("network", "rm", "tnet3");
    }

    @Test
    void aKilledDaemonsRunningContainersKeepTheirNetworking() throws Exception {
        Path root = tmp.resolve("restart");
        DaemonProcess first = DaemonProcess.startWithBusybox(root);
        DaemonProcess second = null;
        try {
            first.ok("network", "create", "keep");
            first.ok(concat(List.of("run", "-d", "--name", "kept", "--network", "keep", "-p", "127.0.0.1::80"), SERVER));
            String port = first.ok("port", "kept", "80");
            int hostPort = Integer.parseInt(port.substring(port.indexOf(':') + 1));
            assertThat(readHello(hostPort)).isEqualTo("hello");
            first.kill9();

            second = DaemonProcess.start(root);
            assertThat(readHello(hostPort)).isEqualTo("hello");
            assertThat(second.ok("port", "kept", "80")).isEqualTo(port);
            assertThat(second.ok("run", "--rm", "--network", "keep", "busybox", "sh", "-c", "echo | busybox nc kept 80")).isEqualTo("hello");
            second.ok("rm", "-f", "kept");
            second.ok("network", "rm", "keep");
        } finally {
            Leftovers.removeContainersAndStop(second != null ? second : first, root);
            Leftovers.removeNetworkOf(root);
        }
    }

    /** Connects from the test (the host's loopback) and reads the server's line, retrying while it starts. */
    private static String readHello(int port) throws Exception {
        IOException last = null;
        for (int i = 0; i < 30; i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(3000);
                InputStream in = s.getInputStream();
                String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!line.isEmpty()) {
                    return line;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("nothing answered on 127.0.0.1:" + port, last);
    }

    private static String[] concat(List<String> head, String[] tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return p.exitValue() == 0 ? out : "";
    }
}
