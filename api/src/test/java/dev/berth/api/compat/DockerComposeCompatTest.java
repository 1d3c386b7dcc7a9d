package dev.berth.api.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.daemon.DaemonProcess;
import dev.berth.api.daemon.Leftovers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker-compose 1.29 (Debian's, python) against `berth daemon`: compat/compose/docker-compose.yml
 * has two services without networking, a named volume, environment, a healthcheck and a
 * depends_on waiting for it; up, ps, logs, exec, run, top, pause, stop, start and down -v, then
 * nothing is left. A project on its default network: services reach each other by name and
 * publish ports on the host.
 */
@Tag("root")
class DockerComposeCompatTest {
    private static final String COMPOSE = "/usr/bin/docker-compose";

    @TempDir
    Path tmp;

    private static ClientProcess.Result compose(DaemonProcess d, Path dir, String project, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(COMPOSE, "--ansi", "never", "-p", project));
        cmd.addAll(List.of(args));
        return ClientProcess.run(cmd, Map.of("DOCKER_HOST", "unix://" + d.socket,
                "DOCKER_CONFIG", d.root.resolve("docker-config").toString()), dir, 180);
    }

    private static ClientProcess.Result ok(DaemonProcess d, Path dir, String project, String... args) throws Exception {
        ClientProcess.Result r = compose(d, dir, project, args);
        assertThat(r.exit()).as("docker-compose " + String.join(" ", args) + ": " + r.describe()).isZero();
        return r;
    }

    @Test
    void upPsLogsExecDown() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Files.copy(ClientProcess.resource("compose/docker-compose.yml"), project.resolve("docker-compose.yml"));
        DaemonProcess d = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        try {
            ClientProcess.Result up = ok(d, project, "berthcompat", "up", "-d");
            assertThat(up.err()).contains("Creating volume \"berthcompat_shared\" with default driver")
                    .containsPattern("Creating berthcompat_store_1 +\\.\\.\\. done")
                    .containsPattern("Creating berthcompat_reader_1 +\\.\\.\\. done");
            // depends_on: service_healthy: the reader started only once the store was healthy.
            assertThat(d.ok("inspect", "--format", "{{.State.Health.Status}}", "berthcompat_store_1")).isEqualTo("healthy");
            assertThat(d.ok("inspect", "--format", "{{index .Config.Labels \"com.docker.compose.project\"}} "
                    + "{{index .Config.Labels \"com.docker.compose.service\"}} {{index .Config.Labels \"suite\"}} "
                    + "{{.HostConfig.NetworkMode}} {{.HostConfig.Init}}", "berthcompat_store_1"))
                    .isEqualTo("berthcompat store compat none true");
            assertThat(d.ok("inspect", "--format", "{{.Config.StopTimeout}}", "berthcompat_reader_1")).isEqualTo("1");

            String ps = ok(d, project, "berthcompat", "ps").out();
            assertThat(ps).containsPattern("berthcompat_store_1 .* Up \\(healthy\\)");
            assertThat(ps).containsPattern("berthcompat_reader_1 .* Up");

            String logs = ok(d, project, "berthcompat", "logs", "--no-color").out();
            // Both services have started; on a loaded machine the reader's shell may not have written yet.
            for (int i = 0; i < 20 && !logs.contains("reader sees"); i++) {
                Thread.sleep(500);
                logs = ok(d, project, "berthcompat", "logs", "--no-color").out();
            }
            assertThat(logs).containsPattern("store_1 +\\| store up");
            assertThat(logs).containsPattern("reader_1 +\\| reader sees hello-from-compose");

            assertThat(ok(d, project, "berthcompat", "exec", "-T", "store", "sh", "-c", "echo $GREETING; cat /data/greeting").out())
                    .isEqualTo("hello-from-compose\nhello-from-compose\n");
            ClientProcess.Result ro = compose(d, project, "berthcompat", "exec", "-T", "reader", "touch", "/data/x");
            assertThat(ro.exit()).as(ro.describe()).isEqualTo(1);
            assertThat(ro.err()).contains("Read-only file system");
            assertThat(ok(d, project, "berthcompat", "run", "--rm", "-T", "store", "sh", "-c", "echo run $GREETING; cat /data/greeting").out())
                    .isEqualTo("run hello-from-compose\nhello-from-compose\n");
            assertThat(ok(d, project, "berthcompat", "top", "store").out()).contains("/sbin/docker-init -- sh -c echo store up")
                    .containsPattern("root +[0-9]+ +[0-9]+ .* sleep 300");
            ok(d, project, "berthcompat", "pause");
            assertThat(ok(d, project, "berthcompat", "ps").out()).containsPattern("berthcompat_store_1 .* Paused");
            ok(d, project, "berthcompat", "unpause");
            ok(d, project, "berthcompat", "stop");
            // init passes SIGTERM on (143); the reader's sleep is pid 1 and ignores it until stop_grace_period's SIGKILL.
            String stopped = ok(d, project, "berthcompat", "ps").out();
            assertThat(stopped).containsPattern("berthcompat_store_1 .* Exit 143").containsPattern("berthcompat_reader_1 .* Exit 137");
            ok(d, project, "berthcompat", "start");
            assertThat(ok(d, project, "berthcompat", "exec", "-T", "reader", "cat", "/data/greeting").out()).isEqualTo("hello-from-compose\n");
            assertThat(d.ok("volume", "ls", "--format", "{{.Name}} {{.Label \"suite\"}} {{.Label \"com.docker.compose.project\"}}")).isEqualTo("berthcompat_shared compat berthcompat");

            ClientProcess.Result down = ok(d, project, "berthcompat", "down", "-v");
            assertThat(down.err()).containsPattern("Removing berthcompat_store_1 +\\.\\.\\. done")
                    .containsPattern("Removing berthcompat_reader_1 +\\.\\.\\. done")
                    .contains("Removing volume berthcompat_shared");
            assertThat(d.ok("ps", "-aq")).isEmpty();
            assertThat(d.ok("volume", "ls", "-q")).isEmpty();
        } finally {
            Leftovers.removeContainersAndStop(d, tmp);
        }
    }

    /** up without -d: compose attaches to every service, prints their output and ends with the exit code of the one named. */
    @Test
    void upAttachedStreamsOutputAndReturnsTheExitCode() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("attached"));
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  a:
                    image: busybox:latest
                    network_mode: none
                    command: ["sh", "-c", "echo a1; sleep 1; echo a2 >&2; exit 5"]
                  b:
                    image: busybox:latest
                    network_mode: none
                    stop_grace_period: 1s
                    command: ["sh", "-c", "echo b1; exec sleep 300"]
                """);
        DaemonProcess d = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        try {
            ClientProcess.Result up = compose(d, project, "attached", "up", "--exit-code-from", "a");
            assertThat(up.exit()).as(up.describe()).isEqualTo(5);
            assertThat(up.out()).containsPattern("a_1 +\\| a1").containsPattern("a_1 +\\| a2").containsPattern("b_1 +\\| b1")
                    .contains("attached_a_1 exited with code 5");
            ok(d, project, "attached", "down");
            assertThat(d.ok("ps", "-aq")).isEmpty();
        } finally {
            Leftovers.removeContainersAndStop(d, tmp);
        }
    }

    /**
     * The project's default network: services find each other by name (the embedded DNS), and a
     * published port answers on the host's loopback. down removes the network too.
     */
    @Test
    void servicesOnTheDefaultNetworkFindEachOtherAndPublishPorts() throws Exception {
        int port = freePort();
        Path project = Files.createDirectories(tmp.resolve("netproject"));
        Files.writeString(project.resolve("docker-compose.yml"), """
                version: "2.4"
                services:
                  web:
                    image: busybox:latest
                    ports: ["127.0.0.1:%d:80"]
                    command: ["sh", "-c", "while true; do echo pong | nc -l -p 80; done"]
                  client:
                    image: busybox:latest
                    command: ["sleep", "300"]
                """.formatted(port));
        DaemonProcess d = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        try {
            ClientProcess.Result up = compose(d, project, "nettest", "up", "-d");
            assertThat(up.exit()).as(up.describe()).isZero();
            assertThat(d.ok("network", "ls", "--format", "{{.Name}}")).contains("nettest_default");
            String byName = "";
            for (int i = 0; i < 50 && !byName.contains("pong"); i++) {
                byName = compose(d, project, "nettest", "exec", "-T", "client", "sh", "-c", "nc web 80 </dev/null").out();
                Thread.sleep(100);
            }
            assertThat(byName).contains("pong");
            assertThat(readFrom(port)).isEqualTo("pong");
            ClientProcess.Result down = compose(d, project, "nettest", "down");
            assertThat(down.exit()).as(down.describe()).isZero();
            assertThat(d.ok("network", "ls", "--format", "{{.Name}}")).doesNotContain("nettest_default");
            assertThat(d.ok("ps", "-aq")).isEmpty();
        } finally {
            Leftovers.removeContainersAndStop(d, tmp);
        }
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The first line a TCP server on 127.0.0.1:port sends, retried while it starts. */
    private static String readFrom(int port) throws Exception {
        for (int i = 0; i < 50; i++) {
            try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(2000);
                String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine();
                if (line != null) {
                    return line;
                }
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        return "";
    }
}
