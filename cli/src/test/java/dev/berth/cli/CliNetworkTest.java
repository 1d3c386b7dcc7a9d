package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `berth network ...`, run's network flags, published ports and `berth port`, against a daemon of the test's own. */
@Tag("root")
class CliNetworkTest {
    @TempDir
    static Path tmp;
    static BerthDaemon daemon;

    @BeforeAll
    static void startDaemonAndLoadBusybox() throws Exception {
        daemon = BerthDaemon.startWithBusybox(tmp.resolve("d"), tmp);
    }

    @AfterAll
    static void removeAllAndStop() throws Exception {
        if (daemon == null) {
            return;
        }
        for (String id : daemon.berth("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                daemon.berth("rm", "-f", id);
            }
        }
        daemon.berth("network", "prune", "-f");
        daemon.close();
    }

    @Test
    void createListInspectConnectAndRemoveANetwork() throws Exception {
        int n = ThreadLocalRandom.current().nextInt(10, 250);
        String subnet = "10.231." + n + ".0/24";
        BerthDaemon.Result create = daemon.berth("network", "create", "--driver", "bridge", "--subnet", subnet,
                "--gateway", "10.231." + n + ".1", "--label", "purpose=test", "clinet");
        assertThat(create.exit()).as(create.err()).isZero();
        String id = create.out().trim();
        assertThat(id).matches("[0-9a-f]{64}");

        BerthDaemon.Result ls = daemon.berth("network", "ls");
        assertThat(ls.exit()).as(ls.err()).isZero();
        assertThat(ls.out()).startsWith("NETWORK ID").contains("NAME").contains("DRIVER").contains("SCOPE");
        assertThat(ls.out()).containsPattern(id.substring(0, 12) + " +clinet +bridge +local\n");
        assertThat(ls.out()).containsPattern("[0-9a-f]{12} +bridge +bridge +local\n");
        assertThat(daemon.berth("network", "ls", "-q", "--filter", "name=clinet").out()).isEqualTo(id.substring(0, 12) + "\n");
        assertThat(daemon.berth("network", "ls", "-q", "--no-trunc", "-f", "name=clinet").out()).isEqualTo(id + "\n");
        assertThat(daemon.berth("network", "ls", "--filter", "label=purpose=test", "--format", "{{.Name}}|{{.Driver}}").out())
                .isEqualTo("clinet|bridge\n");

        BerthDaemon.Result inspect = daemon.berth("network", "inspect", "--format",
                "{{.Name}} {{.Driver}} {{(index .IPAM.Config 0).Subnet}} {{.Labels.purpose}}", "clinet");
        assertThat(inspect.out()).as(inspect.err()).isEqualTo("clinet bridge " + subnet + " test\n");
        assertThat(daemon.berth("network", "inspect", "clinet").out()).startsWith("[\n    {\n").contains("\"Id\": \"" + id + "\"");
        BerthDaemon.Result missing = daemon.berth("network", "inspect", "no-such-net");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Error response from daemon: ");

        BerthDaemon.Result run = daemon.berth("run", "--rm", "--network", "clinet", "--ip", "10.231." + n + ".77",
                "--network-alias", "aliased", "busybox", "ip", "-4", "addr");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("10.231." + n + ".77/24");

        BerthDaemon.Result c = daemon.berth("create", "--name", "joiner", "busybox", "sleep", "30");
        assertThat(c.exit()).as(c.err()).isZero();
        BerthDaemon.Result connect = daemon.berth("network", "connect", "--ip", "10.231." + n + ".88", "--alias", "j", "clinet", "joiner");
        assertThat(connect.exit()).as(connect.err()).isZero();
        assertThat(connect.out()).isEmpty();
        assertThat(daemon.berth("inspect", "--format", "{{json .NetworkSettings.Networks}}", "joiner").out())
                .contains("clinet");
        BerthDaemon.Result disconnect = daemon.berth("network", "disconnect", "-f", "clinet", "joiner");
        assertThat(disconnect.exit()).as(disconnect.err()).isZero();
        assertThat(daemon.berth("inspect", "--format", "{{json .NetworkSettings.Networks}}", "joiner").out())
                .doesNotContain("clinet");
        assertThat(daemon.berth("rm", "joiner").exit()).isZero();

        BerthDaemon.Result rm = daemon.berth("network", "rm", "clinet");
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(rm.out()).isEqualTo("clinet\n");
        assertThat(daemon.berth("network", "ls", "-q", "-f", "name=clinet").out()).isEmpty();
        BerthDaemon.Result again = daemon.berth("network", "rm", "clinet");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(daemon.berth("network", "rm", "-f", "clinet").exit()).isZero();
    }

    @Test
    void pruneRemovesUnusedNetworks() throws Exception {
        int n = ThreadLocalRandom.current().nextInt(10, 250);
        BerthDaemon.Result create = daemon.berth("network", "create", "--subnet", "10.232." + n + ".0/24", "unused");
        assertThat(create.exit()).as(create.err()).isZero();
        BerthDaemon.Result prune = daemon.berth("network", "prune", "-f");
        assertThat(prune.exit()).as(prune.err()).isZero();
        assertThat(prune.out()).startsWith("Deleted Networks:\n").contains("\nunused\n").endsWith("\n\n");
        assertThat(daemon.berth("network", "ls", "--format", "{{.Name}}").out()).doesNotContain("unused").contains("bridge");
    }

    @Test
    void aPublishedPortAnswersOnTheHostAndPortShowsIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        BerthDaemon.Result run = daemon.berth("run", "-d", "--name", "ponger", "-p", "127.0.0.1:" + port + ":80", "busybox", "sh", "-c",
                "while true; do echo pong | nc -l -p 80; done");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(daemon.berth("port", "ponger").out()).isEqualTo("80/tcp -> 127.0.0.1:" + port + "\n");
        assertThat(daemon.berth("port", "ponger", "80").out()).isEqualTo("127.0.0.1:" + port + "\n");
        BerthDaemon.Result none = daemon.berth("port", "ponger", "81");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("No public port '81' published for ponger");

        String answer = "";
        for (int i = 0; i < 100 && !answer.equals("pong\n"); i++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                s.setSoTimeout(3000);
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                answer = "";
            }
            if (!answer.equals("pong\n")) {
                Thread.sleep(100);
            }
        }
        assertThat(answer).isEqualTo("pong\n");
        assertThat(daemon.berth("rm", "-f", "ponger").exit()).isZero();
    }
}
