package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The CLI server (server/CliServer, started by bin/berth in a runtime directory of the test's
 * own): the commands of CliMatchesDockerTest print and exit through it as they do in a JVM of their
 * own (BERTH_CLI_SERVER=0), the server's request counter says which path was taken, and the server
 * leaves no directory when stopped. Output goes to pipes: a regular file as stdout is a JVM path.
 */
@Tag("root")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliServerTest {
    /** Of CliMatchesDockerTest's commands, those bin/berth does not send to the server. */
    static final Set<List<String>> NOT_ELIGIBLE = Set.of(List.of("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}"),
            List.of("search", "busybox"));

    @org.junit.jupiter.api.io.TempDir
    static Path tmp;
    static BerthDaemon daemon;
    static Path xdg;

    record Result(int exit, String out, String err) {}

    @BeforeAll
    static void startDaemonAndServer() throws Exception {
        daemon = CliMatchesDockerTest.startWithContainers(tmp);
        xdg = Files.createDirectory(tmp.resolve("xdg"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        berth(true, "version"); // no server yet: this one runs in its JVM and starts the server
        for (int i = 0; i < 300 && !Files.exists(serverDir().resolve("pid")); i++) {
            Thread.sleep(50);
        }
        assertThat(serverDir().resolve("pid")).exists();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            CliMatchesDockerTest.removeAllAndStop(daemon);
        }
    }

    @Test
    @Order(1)
    void commandsThroughTheServerMatchTheirOwnJvm() throws Exception {
        List<List<String>> commands = new ArrayList<>(CliMatchesDockerTest.commands().toList());
        commands.add(List.of("-H", "unix://exec/berth.sock", "version", "--format", "{{.Server.ApiVersion}}")); // relative to the cwd
        for (List<String> command : commands) {
            String[] args = command.toArray(String[]::new);
            int before = served();
            Result server = berth(true, args);
            Result jvm = berth(false, args);
            if (!server.equals(jvm)) {
                // "2 seconds ago" may have become "3 seconds ago" between the two
                server = berth(true, args);
                jvm = berth(false, args);
            }
            boolean eligible = !NOT_ELIGIBLE.contains(command);
            assertThat(served()).as("requests served after %s", command).isGreaterThanOrEqualTo(before + (eligible ? 1 : 0))
                    .isLessThanOrEqualTo(before + (eligible ? 2 : 0));
            assertThat(server).as("%s through the server", command).isEqualTo(jvm);
        }
    }

    @Test
    @Order(2)
    void othersTakeTheJvmPath() throws Exception {
        int before = served();
        Result unknown = berth(true, "bogus");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("berth: unknown command: berth bogus");
        Result follow = berth(true, "logs", "-f", "batch"); // batch has exited: -f ends
        assertThat(follow).isEqualTo(berth(false, "logs", "-f", "batch"));
        assertThat(served()).isEqualTo(before);
        // stdout a regular file: the server answers "fallback" and the client runs its own JVM
        Path file = tmp.resolve("version.txt");
        Process p = command(true, "version", "--format", "{{.Client.Version}}").redirectOutput(file.toFile()).start();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(file)).isEqualTo(berth(false, "version", "--format", "{{.Client.Version}}").out());
        assertThat(served()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void stoppedByItsPidItRemovesItsDirectory() throws Exception {
        Path dir = serverDir();
        long pid = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        server.destroy();
        server.onExit().get(30, TimeUnit.SECONDS);
        assertThat(dir).doesNotExist();
        // and the next command runs in its own JVM (and starts a server again, stopped here too)
        assertThat(berth(true, "version", "--format", "{{.Client.Version}}").exit()).isZero();
        for (int i = 0; i < 300 && !Files.exists(dir.resolve("pid")); i++) {
            Thread.sleep(50);
        }
        ProcessHandle again = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("pid")).trim())).orElseThrow();
        again.destroy();
        again.onExit().get(30, TimeUnit.SECONDS);
        assertThat(dir).doesNotExist();
    }

    static Path serverDir() throws IOException {
        try (var dirs = Files.list(xdg)) {
            List<Path> all = dirs.toList();
            return all.isEmpty() ? xdg.resolve("none") : all.getFirst();
        }
    }

    static int served() throws IOException {
        Path f = serverDir().resolve("served");
        return Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : 0;
    }

    static ProcessBuilder command(boolean server, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(BerthDaemon.HOME.resolve("bin/berth").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(daemon.root.toFile());
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("BERTH_CLI_SERVER");
        pb.environment().putAll(Map.of("BERTH_HOST", "unix://" + daemon.socket, "XDG_RUNTIME_DIR", xdg.toString()));
        if (!server) {
            pb.environment().put("BERTH_CLI_SERVER", "0");
        }
        return pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }

    /** bin/berth with its stdout and stderr on pipes. */
    static Result berth(boolean server, String... args) throws Exception {
        Process p = command(server, args).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("berth " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), out, err.get());
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
