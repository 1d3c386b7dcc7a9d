package dev.berth.api.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A `bin/berth daemon` of a test's own (its own data root, exec root and socket), and the real
 * docker CLI pointed at it. Stopped with SIGTERM by its own pid.
 */
final class DaemonProcess implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("berth.home", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {}

    final Path root;
    final Path socket;
    final Process process;
    final Path log;

    private DaemonProcess(Path root, Process process, Path log) {
        this.root = root;
        this.socket = root.resolve("exec/berth.sock");
        this.process = process;
        this.log = log;
    }

    static DaemonProcess start(Path root) throws IOException, InterruptedException {
        Path log = root.resolve("daemon.log");
        Files.createDirectories(root);
        Process p = new ProcessBuilder(HOME.resolve("bin/berth").toString(), "daemon",
                "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                "--host", "unix://" + root.resolve("exec/berth.sock"), "--config-file", root.resolve("daemon.json").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DaemonProcess d = new DaemonProcess(root, p, log);
        // The socket file appears at bind(), before listen(): wait until a connection is accepted.
        for (int i = 0; i < 1000 && !accepts(d.socket); i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("daemon exited: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return d;
    }

    private static boolean accepts(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (var ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    Result docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(dockerCli()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("DOCKER_CONFIG", root.resolve("docker-config").toString());
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static String dockerCli() {
        for (String c : new String[] {"/usr/bin/docker", "/usr/local/bin/docker"}) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new AssertionError("no docker CLI (.ci/run installs docker.io where none is present)");
    }

    /** SIGTERM, as an init system stops it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
