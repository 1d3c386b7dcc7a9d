package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testkit.RegistryServer;
import dev.berth.testkit.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bin/berth` as a process against a `berth daemon` of the test's own (root, real kernel): the
 * busybox image is loaded with `berth load`, then containers are run, listed, logged, stopped and
 * removed, asserting what a user sees and the exit codes docker would give.
 */
@Tag("root")
class CliCommandsTest {
    @TempDir
    static Path tmp;
    static BerthDaemon daemon;

    @BeforeAll
    static void startDaemonAndLoadBusybox() throws Exception {
        daemon = BerthDaemon.startWithBusybox(tmp.resolve("d"), tmp);
    }

    @AfterAll
    static void removeContainersAndStop() throws Exception {
        for (String id : daemon.berth("ps", "-aq").out().split("\\s+")) {
            if (!id.isBlank()) {
                daemon.berth("rm", "-f", id);
            }
        }
        daemon.close();
        List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(tmp.toString())).toList();
        assertThat(mounts).isEmpty();
    }

    @Test
    void versionShowsClientAndServer() throws Exception {
        BerthDaemon.Result r = daemon.berth("version");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Client:\n Version:           0.1.0\n API version:       1.47\n")
                .contains("\nServer: Berth Engine\n Engine:\n  Version:          ")
                .contains("  API version:      1.47 (minimum version 1.24)\n");
        assertThat(daemon.berth("version", "--format", "{{.Server.ApiVersion}} {{.Client.Version}}").out()).isEqualTo("1.47 0.1.0\n");
    }

    @Test
    void runRemovePrintsTheOutput() throws Exception {
        BerthDaemon.Result r = daemon.berth("run", "--rm", "-e", "GREETING=hello", "-w", "/tmp", "busybox", "sh", "-c",
                "echo $GREETING from $(pwd); echo oops >&2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hello from /tmp\n");
        assertThat(r.err()).isEqualTo("oops\n");
        // Again and again: the output of a program that exits at once must never be lost.
        for (int i = 0; i < 5; i++) {
            assertThat(daemon.berth("run", "--rm", "busybox", "echo", "run " + i).out()).isEqualTo("run " + i + "\n");
        }
        assertThat(daemon.berth("ps", "-aq").out()).isEmpty();
    }

    @Test
    void runExitsWithTheContainersStatus() throws Exception {
        assertThat(daemon.berth("run", "--rm", "busybox", "sh", "-c", "exit 3").exit()).isEqualTo(3);
    }

    @Test
    void aMissingCommandExits127WithDockersMessage() throws Exception {
        BerthDaemon.Result r = daemon.berth("run", "--rm", "busybox", "no-such-program");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.err()).startsWith("berth: Error response from daemon: ").contains("executable file not found in $PATH")
                .endsWith("\n\nRun 'berth run --help' for more information\n");
    }

    @Test
    void aMissingImageFailsTheRunWith125() throws Exception {
        BerthDaemon.Result r = daemon.berth("run", "--rm", "--pull", "never", "no-such-image", "true");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).contains("No such image: no-such-image");
    }

    @Test
    void detachedContainerIsListedLoggedStoppedAndRemoved() throws Exception {
        BerthDaemon.Result run = daemon.berth("run", "-d", "--name", "sleeper", "busybox", "sh", "-c", "echo started; sleep 60");
        assertThat(run.exit()).as(run.err()).isZero();
        String id = run.out().trim();
        assertThat(id).matches("[0-9a-f]{64}");

        BerthDaemon.Result ps = daemon.berth("ps");
        List<String> lines = ps.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("CONTAINER ID   IMAGE     COMMAND                  CREATED ").endsWith("   PORTS     NAMES");
        assertThat(ps.out()).contains(id.substring(0, 12) + "   busybox   \"sh -c echo started;…\"   ");
        assertThat(daemon.berth("ps", "--format", "{{.Names}}|{{.State}}|{{.Command}}").out())
                .contains("sleeper|running|\"sh -c echo started;…\"\n");
        assertThat(daemon.berth("ps", "-q", "--no-trunc").out()).contains(id + "\n");

        for (int i = 0; i < 100 && !daemon.berth("logs", "sleeper").out().contains("started"); i++) {
            Thread.sleep(50);
        }
        assertThat(daemon.berth("logs", "sleeper").out()).isEqualTo("started\n");
        assertThat(daemon.berth("logs", "-t", "sleeper").out()).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z started\n");

        BerthDaemon.Result stop = daemon.berth("stop", "-t", "1", "sleeper");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("sleeper\n");
        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}} {{.State}}").out()).contains("sleeper exited\n");
        assertThat(daemon.berth("wait", "sleeper").out()).isEqualTo("137\n");

        BerthDaemon.Result rm = daemon.berth("rm", "sleeper");
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(rm.out()).isEqualTo("sleeper\n");
        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("sleeper");
    }

    @Test
    void startAttachedAndLogsFollowStreamUntilTheContainerEnds() throws Exception {
        BerthDaemon.Result create = daemon.berth("create", "--name", "attached", "busybox", "sh", "-c", "echo from start; exit 4");
        assertThat(create.exit()).as(create.err()).isZero();
        BerthDaemon.Result start = daemon.berth("start", "-a", "attached");
        assertThat(start.out()).isEqualTo("from start\n");
        assertThat(start.exit()).isEqualTo(4);

        BerthDaemon.Result run = daemon.berth("run", "-d", "--name", "follower", "busybox", "sh", "-c",
                "for i in 1 2 3; do echo line $i; sleep 0.2; done");
        assertThat(run.exit()).as(run.err()).isZero();
        BerthDaemon.Result logs = daemon.berth("logs", "-f", "follower");
        assertThat(logs.exit()).as(logs.err()).isZero();
        assertThat(logs.out()).isEqualTo("line 1\nline 2\nline 3\n");
        BerthDaemon.Result rm = daemon.berth("container", "rm", "attached", "follower");
        assertThat(rm.out()).isEqualTo("attached\nfollower\n");
    }

    @Test
    void aSignalToTheCliGoesToTheContainer() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(BerthDaemon.HOME.resolve("bin/berth").toString(), "run", "--rm", "busybox", "sh", "-c",
                "trap 'echo got TERM; exit 7' TERM; echo ready; sleep 30 & wait").redirectErrorStream(true);
        pb.environment().put("BERTH_HOST", "unix://" + daemon.socket);
        Process p = pb.start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            assertThat(out.readLine()).isEqualTo("ready");
            p.toHandle().destroy(); // SIGTERM to the CLI (bin/berth execs the JVM), forwarded as docker's --sig-proxy does
            assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).isEqualTo("got TERM");
            assertThat(p.exitValue()).isEqualTo(7);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void pullShowsPlainProgressOffATerminalAndRunPullsWhatIsMissing() throws Exception {
        try (RegistryServer registry = RegistryServer.start(tmp.resolve("registry"))) {
            for (String tag : new String[] {"1", "2"}) {
                Process copy = new ProcessBuilder("skopeo", "copy", "--dest-tls-verify=false",
                        "docker-archive:" + tmp.resolve("busybox.tar"), "docker://" + registry.host() + "/test/busybox:" + tag)
                        .redirectErrorStream(true).start();
                String log = new String(copy.getInputStream().readAllBytes());
                assertThat(copy.waitFor()).as(log).isZero();
            }
            String image = registry.host() + "/test/busybox:1";
            BerthDaemon.Result pull = daemon.berth("pull", image);
            assertThat(pull.exit()).as(pull.err()).isZero();
            assertThat(pull.out()).matches("1: Pulling from " + java.util.regex.Pattern.quote(registry.host()) + "/test/busybox\n"
                    + "[0-9a-f]{12}: Pull complete\n"
                    + "Digest: sha256:[0-9a-f]{64}\n"
                    + "Status: Downloaded newer image for " + java.util.regex.Pattern.quote(image) + "\n"
                    + java.util.regex.Pattern.quote(image) + "\n");

            String missing = registry.host() + "/test/busybox:2";
            BerthDaemon.Result run = daemon.berth("run", "--rm", missing, "echo", "pulled");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo("pulled\n");
            assertThat(run.err()).startsWith("Unable to find image '" + missing + "' locally\n2: Pulling from ")
                    .contains("Status: Downloaded newer image for " + missing + "\n");

            BerthDaemon.Result nothing = daemon.berth("pull", registry.host() + "/test/nothing");
            assertThat(nothing.exit()).isEqualTo(1);
            assertThat(nothing.out()).startsWith("Using default tag: latest\n");
            assertThat(nothing.err()).contains("not found");
        }
    }

    @Test
    void inspectFormatsFieldPathsAndJson() throws Exception {
        BerthDaemon.Result create = daemon.berth("create", "--name", "inspected", "-e", "A=1", "busybox", "echo", "hi");
        assertThat(create.exit()).as(create.err()).isZero();
        BerthDaemon.Result r = daemon.berth("inspect", "--format", "{{.State.Status}} {{.Name}} {{json .Config.Cmd}} {{index .Config.Env 0}}", "inspected");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("created /inspected [\"echo\",\"hi\"] A=1\n");
        BerthDaemon.Result whole = daemon.berth("container", "inspect", "inspected");
        assertThat(whole.out()).startsWith("[\n    {\n        \"Id\": \"" + create.out().trim() + "\",\n");
        assertThat(daemon.berth("rm", "inspected").exit()).isZero();
    }

    @Test
    void anUnknownContainerGivesDockersErrorAndExit1() throws Exception {
        BerthDaemon.Result rm = daemon.berth("rm", "no-such-container");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.err()).isEqualTo("Error response from daemon: No such container: no-such-container\n");
        BerthDaemon.Result inspect = daemon.berth("inspect", "no-such-container");
        assertThat(inspect.exit()).isEqualTo(1);
        assertThat(inspect.out()).isEqualTo("[]\n");
        assertThat(inspect.err()).isEqualTo("Error: No such object: no-such-container\n");
        BerthDaemon.Result logs = daemon.berth("logs", "no-such-container");
        assertThat(logs.exit()).isEqualTo(1);
        assertThat(logs.err()).isEqualTo("Error response from daemon: No such container: no-such-container\n");
    }

    @Test
    void imagesListsTheLoadedImage() throws Exception {
        BerthDaemon.Result r = daemon.berth("images");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList().getFirst()).startsWith("REPOSITORY   TAG       IMAGE ID       CREATED ").endsWith("   SIZE");
        assertThat(r.out()).containsPattern("\nbusybox      latest    [0-9a-f]{12}   \\d+ months ago   [0-9.]+MB\n");
        assertThat(daemon.berth("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").out()).isEqualTo("busybox:latest\n");
        assertThat(daemon.berth("images", "-q").out()).matches("[0-9a-f]{12}\n");
    }

    @Test
    void badFlagsExit125WithDockersHint() throws Exception {
        BerthDaemon.Result r = daemon.berth("ps", "--bogus");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("unknown flag: --bogus\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n");
        BerthDaemon.Result missing = daemon.berth("rm");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("berth: 'berth rm' requires at least 1 argument\n\n"
                + "Usage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth rm --help' for more information\n");
        BerthDaemon.Result help = daemon.berth("run", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nCreate and run a new container from an image\n")
                .contains("  -d, --detach ");
    }

    @Test
    void noDaemonIsOneClearLine(@TempDir Path scratch) throws Exception {
        BerthDaemon.Result r = BerthDaemon.run(scratch, Map.of("DOCKER_HOST", "unix://" + scratch.resolve("none.sock")), "ps");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("Cannot connect to the Berth daemon at unix://" + scratch.resolve("none.sock")
                + ". Is the berth daemon running?\n");
    }

    @Test
    void cpCopiesFilesAndDirectoriesBothWays() throws Exception {
        BerthDaemon.Result c = daemon.berth("create", "--name", "copier", "busybox", "true");
        assertThat(c.exit()).as(c.err()).isZero();
        Path src = tmp.resolve("cp-src");
        Files.createDirectories(src.resolve("sub"));
        Files.writeString(src.resolve("a.txt"), "alpha\n");
        Files.writeString(src.resolve("sub/b.txt"), "beta\n");
        Files.writeString(tmp.resolve("single.txt"), "single\n");

        BerthDaemon.Result in = daemon.berth("cp", src.toString(), "copier:/tmp");
        assertThat(in.exit()).as(in.err()).isZero();
        assertThat(in.out()).isEmpty();
        BerthDaemon.Result file = daemon.berth("cp", tmp.resolve("single.txt").toString(), "copier:/tmp/renamed.txt");
        assertThat(file.exit()).as(file.err()).isZero();

        Path back = tmp.resolve("cp-back");
        BerthDaemon.Result out = daemon.berth("cp", "copier:/tmp/cp-src", back.toString());
        assertThat(out.exit()).as(out.err()).isZero();
        assertThat(Files.readString(back.resolve("a.txt"))).isEqualTo("alpha\n");
        assertThat(Files.readString(back.resolve("sub/b.txt"))).isEqualTo("beta\n");
        Path into = Files.createDirectories(tmp.resolve("cp-into"));
        assertThat(daemon.berth("cp", "copier:/tmp/renamed.txt", into.toString()).exit()).isZero();
        assertThat(Files.readString(into.resolve("renamed.txt"))).isEqualTo("single\n");
        assertThat(daemon.berth("cp", "copier:/tmp/renamed.txt", tmp.resolve("as-file.txt").toString()).exit()).isZero();
        assertThat(Files.readString(tmp.resolve("as-file.txt"))).isEqualTo("single\n");

        // "-": a tar on stdout, and a tar from stdin
        Path tar = tmp.resolve("cp-out.tar");
        BerthDaemon.Result toStdout = daemon.berth("cp", "copier:/tmp/cp-src/a.txt", "-");
        assertThat(toStdout.exit()).as(toStdout.err()).isZero();
        assertThat(toStdout.out()).startsWith("a.txt").contains("alpha\n");
        Files.writeString(tar, toStdout.out());
        BerthDaemon.Result fromStdin = daemon.berthWithInput(tar, "cp", "-", "copier:/etc");
        assertThat(fromStdin.exit()).as(fromStdin.err()).isZero();
        assertThat(daemon.berth("cp", "copier:/etc/a.txt", tmp.resolve("etc-a.txt").toString()).exit()).isZero();
        assertThat(Files.readString(tmp.resolve("etc-a.txt"))).isEqualTo("alpha\n");

        BerthDaemon.Result missing = daemon.berth("cp", "copier:/no/such/file", tmp.resolve("x").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("Error response from daemon: ");
        assertThat(daemon.berth("rm", "copier").exit()).isZero();
    }

    @Test
    void importMakesAnImageOfAnExportedContainer() throws Exception {
        BerthDaemon.Result c = daemon.berth("create", "--name", "exported", "busybox", "true");
        assertThat(c.exit()).as(c.err()).isZero();
        Path tar = tmp.resolve("exported.tar");
        assertThat(daemon.berth("export", "-o", tar.toString(), "exported").exit()).isZero();
        BerthDaemon.Result imp = daemon.berth("import", "-c", "CMD [\"echo\", \"imported\"]", "-m", "from a test", tar.toString(),
                "imported:v1");
        assertThat(imp.exit()).as(imp.err()).isZero();
        assertThat(imp.out()).matches("sha256:[0-9a-f]{64}\n");
        assertThat(daemon.berth("images", "--format", "{{.Repository}}:{{.Tag}}").out()).contains("imported:v1\n");
        BerthDaemon.Result run = daemon.berth("run", "--rm", "imported:v1");
        assertThat(run.out()).as(run.err()).isEqualTo("imported\n");
        BerthDaemon.Result stdin = daemon.berthWithInput(tar, "import", "-", "imported:v2");
        assertThat(stdin.exit()).as(stdin.err()).isZero();
        assertThat(stdin.out()).matches("sha256:[0-9a-f]{64}\n");
        assertThat(daemon.berth("rm", "exported").exit()).isZero();
        assertThat(daemon.berth("rmi", "imported:v1", "imported:v2").exit()).isZero();
    }

    @Test
    void systemPruneRemovesStoppedContainersAndUnusedNetworks() throws Exception {
        BerthDaemon.Result c = daemon.berth("create", "--name", "prunable", "busybox", "true");
        assertThat(c.exit()).as(c.err()).isZero();
        String id = c.out().trim();
        int n = java.util.concurrent.ThreadLocalRandom.current().nextInt(10, 250);
        assertThat(daemon.berth("network", "create", "--subnet", "10.233." + n + ".0/24", "prunable-net").exit()).isZero();
        BerthDaemon.Result prune = daemon.berth("system", "prune", "-f");
        assertThat(prune.exit()).as(prune.err()).isZero();
        assertThat(prune.out()).contains("Deleted Containers:\n").contains(id + "\n")
                .contains("Deleted Networks:\n").contains("prunable-net\n").containsPattern("Total reclaimed space: .+\n$");
        assertThat(daemon.berth("ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("prunable");
        assertThat(daemon.berth("images", "--format", "{{.Repository}}").out()).contains("busybox");
        BerthDaemon.Result declined = daemon.berth("system", "prune");
        assertThat(declined.exit()).isZero();
        assertThat(declined.out()).startsWith("WARNING! This will remove:\n  - all stopped containers\n");
    }

    @Test
    void loginAndLogoutSayWhatDockerSays() throws Exception {
        BerthDaemon.Result noTty = daemon.berth("login");
        assertThat(noTty.exit()).isEqualTo(1);
        assertThat(noTty.err()).contains("Cannot perform an interactive login from a non TTY device");
        Path password = tmp.resolve("password.txt");
        Files.writeString(password, "secret\n");
        try (RegistryServer registry = RegistryServer.start(tmp.resolve("login-registry"))) {
            BerthDaemon.Result login = daemon.berthWithInput(password, "login", "-u", "someone", "--password-stdin", registry.host());
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(login.out()).isEqualTo("Login Succeeded\n");
            BerthDaemon.Result onCommandLine = daemon.berth("login", "-u", "someone", "-p", "secret", registry.host());
            assertThat(onCommandLine.out()).as(onCommandLine.err()).isEqualTo("Login Succeeded\n");
            assertThat(onCommandLine.err()).startsWith("WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n");
            assertThat(daemon.berth("logout", registry.host()).out()).isEqualTo("Removing login credentials for " + registry.host() + "\n");
        }
        BerthDaemon.Result logout = daemon.berth("logout");
        assertThat(logout.exit()).isZero();
        assertThat(logout.out()).isEqualTo("Removing login credentials for https://index.docker.io/v1/\n");
    }

    @Test
    void runItFollowsTheTerminalsSizeAndDetachesWithCtrlPCtrlQ() throws Exception {
        // 30x100 at first, then 40x120: stty inside reports each; Ctrl-P Ctrl-Q detaches the CLI
        // (exit 0) and the container keeps running.
        String screen = new Terminal().size(30, 100).sleep(0.5)
                .type("echo size=$(stty size)\r").until("size=30 100", 20)
                .size(40, 120).sleep(0.5)
                .type("echo size=$(stty size)\r").until("size=40 120", 20)
                .type("\u0010\u0011")
                .run(tmp, Map.of("BERTH_HOST", "unix://" + daemon.socket, "BERTH_CLI_SERVER", "0"),
                        BerthDaemon.HOME.resolve("bin/berth").toString(), "run", "-it", "--name", "pty-box", "busybox", "sh");
        try {
            assertThat(screen).contains("size=30 100").contains("size=40 120").contains("EXIT 0");
            assertThat(daemon.berth("inspect", "--format", "{{.State.Status}}", "pty-box").out().trim()).isEqualTo("running");
        } finally {
            daemon.berth("rm", "-f", "pty-box");
        }
    }

    @Test
    void interactiveRunUnderAPtyEchoesAndExitsWithTheShellsStatus() throws Exception {
        // script(1) gives bin/berth a pseudo-terminal: -it puts it in raw mode and relays the tty.
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", BerthDaemon.HOME.resolve("bin/berth") + " run -it --rm busybox sh", "/dev/null")
                .redirectErrorStream(true);
        pb.environment().put("BERTH_HOST", "unix://" + daemon.socket);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            StringBuilder seen = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    byte[] buf = new byte[4096];
                    for (int n; (n = p.getInputStream().read(buf)) >= 0; ) {
                        synchronized (seen) {
                            seen.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
            });
            waitFor(seen, "/ # ");
            in.write("echo hello-$((6*7))\r".getBytes());
            in.flush();
            waitFor(seen, "hello-42");
            in.write("exit 5\r".getBytes());
            in.flush();
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            reader.join(5000);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).isEqualTo(5);
    }

    private static void waitFor(StringBuilder seen, String text) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            synchronized (seen) {
                if (seen.toString().contains(text)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        synchronized (seen) {
            throw new AssertionError("no \"" + text + "\" on the terminal; it shows: " + seen);
        }
    }
}
