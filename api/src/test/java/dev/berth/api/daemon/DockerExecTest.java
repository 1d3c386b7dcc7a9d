package dev.berth.api.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.Terminal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.runtime.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                .run(tmp, daemon.dockerEnv(), DaemonProcess.dockerCli(), "exec", "-it", "ex", "sh");
        assertThat(screen).contains("tty=/dev/pts/").contains("42").contains("EXIT 5");
    }

    @Test
    void execsAreOnEventsAsDockerdPutsThem() throws Exception {
        long since = java.time.Instant.now().getEpochSecond();
        assertThat(daemon.docker("exec", "ex", "sh", "-c", "exit 3", "events-probe").exit()).isEqualTo(3);
        String until = String.valueOf(java.time.Instant.now().getEpochSecond() + 1);
        List<String> lines = daemon.ok("events", "--since", String.valueOf(since), "--until", until,
                "--filter", "container=ex", "--filter", "event=exec_create", "--filter", "event=exec_start", "--filter", "event=exec_die",
                "--format", "{{.Type}}|{{.Action}}|{{.Actor.Attributes.execID}}|{{.Actor.Attributes.exitCode}}|{{.Actor.Attributes.name}}")
                .lines().filter(l -> l.contains("events-probe") || l.contains("exec_die")).toList();
        String created = lines.stream().filter(l -> l.startsWith("container|exec_create: sh -c exit 3 events-probe|")).findFirst().orElseThrow();
        String execId = created.split("\\|")[2];
        assertThat(execId).hasSize(64);
        assertThat(lines).contains(
                "container|exec_create: sh -c exit 3 events-probe|" + execId + "|<no value>|ex",
                "container|exec_start: sh -c exit 3 events-probe|" + execId + "|<no value>|ex",
                "container|exec_die|" + execId + "|3|ex");
    }

    @Test
    void inspectListsTheExecsThatHaveNotEnded() throws Exception {
        daemon.ok("run", "-d", "--name", "execids", "busybox", "sleep", "600");
        assertThat(daemon.ok("inspect", "--format", "{{json .ExecIDs}}", "execids")).isEqualTo("null");
        String id = Json.mapper().readTree(curl("POST", "/containers/execids/exec", "{\"Cmd\":[\"sleep\",\"1\"]}")).path("Id").asText();
        assertThat(daemon.ok("inspect", "--format", "{{json .ExecIDs}}", "execids")).isEqualTo("[\"" + id + "\"]");
        curl("POST", "/exec/" + id + "/start", "{\"Detach\":true}");
        assertThat(daemon.ok("inspect", "--format", "{{json .ExecIDs}}", "execids")).isEqualTo("[\"" + id + "\"]");
        String ids = "";
        for (int i = 0; i < 100 && !ids.equals("null"); i++) {
            Thread.sleep(50);
            ids = daemon.ok("inspect", "--format", "{{json .ExecIDs}}", "execids");
        }
        assertThat(ids).as("once it has ended").isEqualTo("null");
        daemon.ok("rm", "-f", "execids");
    }

    @Test
    void ctrlPCtrlQDetachesAnInteractiveExecAndItRunsOn() throws Exception {
        String screen = new Terminal().sleep(0.5)
                .type("echo $$ > /tmp/detached-sh; echo $((40+2))x\r").until("42x", 20)
                .type("\u0010\u0011")
                .run(tmp, daemon.dockerEnv(), DaemonProcess.dockerCli(), "exec", "-it", "ex", "sh");
        // The docker CLI notices the keys itself and says so (exit 1, as against dockerd); the shell runs on.
        assertThat(screen).contains("42x").contains("read escape sequence");
        String pid = daemon.ok("exec", "ex", "cat", "/tmp/detached-sh");
        assertThat(daemon.ok("exec", "ex", "sh", "-c", "kill -0 " + pid + " && echo alive")).isEqualTo("alive");
        assertThat(daemon.ok("inspect", "--format", "{{len .ExecIDs}}", "ex")).isEqualTo("1");
        daemon.ok("exec", "ex", "kill", "-9", pid);
        waitForNoExecs("ex");
    }

    @Test
    void theExecsOwnDetachKeysEndTheAttachAtTheDaemon() throws Exception {
        String created = curl("POST", "/containers/ex/exec",
                "{\"Cmd\":[\"sh\"],\"Tty\":true,\"AttachStdin\":true,\"AttachStdout\":true,\"DetachKeys\":\"ctrl-x,x\"}");
        String id = Json.mapper().readTree(created).path("Id").asText();
        long since = java.time.Instant.now().getEpochSecond();
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(daemon.socket));
            String body = "{\"Detach\":false,\"Tty\":true}";
            write(ch, "POST /v1.47/exec/" + id + "/start HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            java.io.InputStream in = java.nio.channels.Channels.newInputStream(ch);
            StringBuilder seen = new StringBuilder();
            readUntil(in, seen, "\r\n\r\n");
            assertThat(seen.toString()).startsWith("HTTP/1.1 101");
            write(ch, "echo $$ > /tmp/keys-sh; echo $((40+2))z\n");
            readUntil(in, seen, "42z");
            write(ch, "\u0018x");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (in.read() >= 0 && System.nanoTime() < deadline) {
                // output until the daemon ends the attach
            }
            assertThat(System.nanoTime()).as("the daemon closed the attach").isLessThan(deadline);
        }
        JsonNode exec = Json.mapper().readTree(curl("GET", "/exec/" + id + "/json", null));
        assertThat(exec.path("Running").asBoolean()).isTrue();
        assertThat(exec.path("DetachKeys").asText()).isEqualTo("ctrl-x,x");
        String pid = daemon.ok("exec", "ex", "cat", "/tmp/keys-sh");
        assertThat(daemon.ok("exec", "ex", "sh", "-c", "kill -0 " + pid + " && echo alive")).isEqualTo("alive");
        daemon.ok("exec", "ex", "kill", "-9", pid);
        waitForNoExecs("ex");
        String until = String.valueOf(java.time.Instant.now().getEpochSecond() + 1);
        assertThat(daemon.ok("events", "--since", String.valueOf(since), "--until", until, "--filter", "container=ex",
                "--filter", "event=exec_detach", "--filter", "event=exec_die", "--format", "{{.Action}} {{.Actor.Attributes.execID}} {{.Actor.Attributes.exitCode}}")
                .lines().toList()).contains("exec_detach " + id + " <no value>", "exec_die " + id + " 137");
        // Keys that do not parse are refused at create, in dockerd's words.
        assertThat(curl("POST", "/containers/ex/exec", "{\"Cmd\":[\"sh\"],\"DetachKeys\":\"ctrl-1\"}"))
                .contains("Invalid escape keys (ctrl-1) provided");
    }

    private static void waitForNoExecs(String container) throws Exception {
        String ids = "";
        for (int i = 0; i < 100 && !ids.equals("null"); i++) {
            Thread.sleep(50);
            ids = daemon.ok("inspect", "--format", "{{json .ExecIDs}}", container);
        }
        assertThat(ids).isEqualTo("null");
    }

    private static void write(java.nio.channels.SocketChannel ch, String s) throws java.io.IOException {
        ch.write(java.nio.ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static void readUntil(java.io.InputStream in, StringBuilder seen, String token) throws java.io.IOException {
        int from = seen.length();
        while (seen.indexOf(token, from) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the stream ended before " + token + ": " + seen);
            }
            seen.append((char) b);
        }
    }
}
