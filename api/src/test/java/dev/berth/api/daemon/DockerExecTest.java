package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.runtime.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `docker exec` through `berth daemon` (root, real kernel, the real docker CLI): output, exit
 * codes, the container's namespaces and cgroup, env/workdir/user, detached execs, a missing
 * program, and an interactive shell under a pty.
 */
@Tag("root")
class DockerExecTest {
    @TempDir
    static Path tmp;
    static DaemonProcess daemon;

    @BeforeAll
    static void startDaemonAndContainer() throws Exception {
        daemon = DaemonProcess.startWithBusybox(tmp.resolve("d"));
        DaemonProcess.Result run = daemon.docker("run", "-d", "--name", "ex", "--hostname", "boxy", "busybox", "sleep", "600");
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @AfterAll
    static void stopAndCheckLeftovers() throws Exception {
        Leftovers.removeContainersAndStop(daemon, tmp);
    }

    @Test
    void execPrintsItsOutput() throws Exception {
        for (int i = 0; i < 5; i++) {
            DaemonProcess.Result r = daemon.docker("exec", "ex", "echo", "hi " + i);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("hi " + i + "\n");
        }
        DaemonProcess.Result err = daemon.docker("exec", "ex", "sh", "-c", "echo oops >&2");
        assertThat(err.out()).isEmpty();
        assertThat(err.err()).isEqualTo("oops\n");
    }

    @Test
    void theExitCodeIsTheProcesses() throws Exception {
        assertThat(daemon.docker("exec", "ex", "sh", "-c", "exit 7").exit()).isEqualTo(7);
        assertThat(daemon.docker("exec", "ex", "sh", "-c", "kill -9 $$").exit()).isEqualTo(137);
    }

    @Test
    void execJoinsTheContainersNamespacesAndCgroup() throws Exception {
        assertThat(daemon.docker("exec", "ex", "hostname").out()).isEqualTo("boxy\n");
        DaemonProcess.Result ns = daemon.docker("exec", "ex", "sh", "-c",
                "for n in pid mnt uts ipc net cgroup; do "
                        + "[ \"$(busybox readlink /proc/self/ns/$n)\" = \"$(busybox readlink /proc/1/ns/$n)\" ] || echo differs $n; done; "
                        + "[ \"$(cat /proc/self/cgroup)\" = \"$(cat /proc/1/cgroup)\" ] || echo differs cgroup-membership; "
                        + "cat /proc/1/cmdline | busybox tr '\\0' ' '");
        assertThat(ns.out()).as(ns.err()).isEqualTo("sleep 600 ");
    }

    @Test
    void envWorkdirAndUserApply() throws Exception {
        DaemonProcess.Result r = daemon.docker("exec", "-e", "X=1", "-w", "/tmp", "-u", "1000", "ex",
                "sh", "-c", "echo $X $(pwd) $(id -u) $HOSTNAME");
        assertThat(r.out().trim()).as(r.err()).isEqualTo("1 /tmp 1000 boxy");
    }

    @Test
    void stdinReachesTheProcessAndItsEndIsAnEof() throws Exception {
        Path input = Files.writeString(tmp.resolve("stdin.txt"), "line one\nline two\n");
        ProcessBuilder pb = new ProcessBuilder(DaemonProcess.dockerCli(), "exec", "-i", "ex", "sh", "-c", "wc -l; echo after-eof");
        pb.environment().put("DOCKER_HOST", "unix://" + daemon.socket);
        pb.environment().put("DOCKER_CONFIG", daemon.root.resolve("docker-config").toString());
        Process p = pb.redirectInput(input.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out.replace(" ", "")).isEqualTo("2\nafter-eof\n");
        assertThat(p.exitValue()).isZero();
    }

    @Test
    void privilegedExecsGetTheDaemonsCapabilities() throws Exception {
        String plain = daemon.docker("exec", "ex", "grep", "CapEff", "/proc/self/status").out();
        String privileged = daemon.docker("exec", "--privileged", "ex", "grep", "CapEff", "/proc/self/status").out();
        String daemonCaps = Files.readAllLines(Path.of("/proc/" + daemon.process.pid() + "/status")).stream()
                .filter(l -> l.startsWith("CapBnd")).findFirst().orElseThrow().replaceAll("\\s+", " ").split(" ")[1];
        assertThat(privileged.trim().split("\\s+")[1]).isEqualTo(daemonCaps);
        assertThat(plain).isNotEqualTo(privileged);
    }

    @Test
    void detachedExecRunsInTheBackground() throws Exception {
        DaemonProcess.Result d = daemon.docker("exec", "-d", "ex", "sh", "-c", "sleep 0.2; echo done > /tmp/detached");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).isEmpty();
        String seen = "";
        for (int i = 0; i < 100 && !seen.equals("done\n"); i++) {
            Thread.sleep(50);
            seen = daemon.docker("exec", "ex", "cat", "/tmp/detached").out();
        }
        assertThat(seen).isEqualTo("done\n");
    }

    @Test
    void aMissingProgramExits127WithTheRuntimesMessage() throws Exception {
        DaemonProcess.Result r = daemon.docker("exec", "ex", "no-such-program");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.out() + r.err()).contains("OCI runtime exec failed")
                .contains("exec: \"no-such-program\": executable file not found in $PATH");
    }

    @Test
    void execIntoAStoppedContainerIsRefused() throws Exception {
        assertThat(daemon.docker("create", "--name", "idle", "busybox", "true").exit()).isZero();
        DaemonProcess.Result r = daemon.docker("exec", "idle", "echo", "hi");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("is not running");
        DaemonProcess.Result empty = daemon.docker("exec", "ex");
        assertThat(empty.exit()).isNotZero();
    }

    @Test
    void execInspectShowsTheExitCodeThroughTheApi() throws Exception {
        String created = curl("POST", "/containers/ex/exec", "{\"Cmd\":[\"sh\",\"-c\",\"exit 3\"]}");
        String id = Json.mapper().readTree(created).path("Id").asText();
        assertThat(id).hasSize(64);
        JsonNode before = Json.mapper().readTree(curl("GET", "/exec/" + id + "/json", null));
        assertThat(before.path("Running").asBoolean()).isFalse();
        assertThat(before.path("ExitCode").isNull()).isTrue();
        assertThat(before.path("ProcessConfig").path("entrypoint").asText()).isEqualTo("sh");
        curl("POST", "/exec/" + id + "/start", "{\"Detach\":true}");
        JsonNode after = before;
        for (int i = 0; i < 100 && !after.path("ExitCode").isInt(); i++) {
            Thread.sleep(20);
            after = Json.mapper().readTree(curl("GET", "/exec/" + id + "/json", null));
        }
        assertThat(after.path("ExitCode").asInt()).isEqualTo(3);
        assertThat(after.path("Running").asBoolean()).isFalse();
        assertThat(after.path("Pid").asInt()).isPositive();
        assertThat(after.path("ContainerID").asText()).hasSize(64);
        assertThat(curl("POST", "/exec/" + id + "/start", "{\"Detach\":true}")).contains("has already run");
        assertThat(curl("GET", "/exec/nosuch/json", null)).contains("No such exec instance: nosuch");
    }

    private static String curl(String method, String path, String body) throws Exception {
        return ApiCurl.call(daemon, method, path, body);
    }

    @Test
    void interactiveShellUnderAPty() throws Exception {
        String screen = new Terminal().sleep(0.5)
                .type("echo tty=$(tty) $((6*7))\r").until("42", 20)
                .type("exit 5\r")
                .run(daemon, tmp, "exec", "-it", "ex", "sh");
        assertThat(screen).contains("tty=/dev/pts/").contains("42").contains("EXIT 5");
    }
}
