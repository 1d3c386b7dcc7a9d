package dev.berth.api.daemon;

import dev.berth.testkit.BusyboxArchive;
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
public final class DaemonProcess implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("berth.home", "..")).toAbsolutePath().normalize();

    public record Result(int exit, String out, String err) {}

    public final Path root;
    public final Path socket;
    final Process process;
    final Path log;

    private DaemonProcess(Path root, Process process, Path log) {
        this.root = root;
        this.socket = root.resolve("exec/berth.sock");
        this.process = process;
        this.log = log;
    }

    public static DaemonProcess start(Path root) throws IOException, InterruptedException {
        Path log = root.resolve("daemon.log");
        Files.createDirectories(root);
        ownNetwork(root.resolve("daemon.json"));
        Process p = new ProcessBuilder(HOME.resolve("bin/berth").toString(), "daemon",
                "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                "--host", "unix://" + root.resolve("exec/berth.sock"), "--config-file", root.resolve("daemon.json").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DaemonProcess d = new DaemonProcess(root, p, log);
        // Ready when it accepts: a socket left by a daemon killed earlier exists before that.
        for (int i = 0; i < 500 && !d.accepts(); i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("daemon exited: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return d;
    }

    /**
     * Every test daemon gets a default bridge of its own ("bridge": bt + 8 hex) and so its own nft
     * table (berth_<bridge>): concurrent daemons, leftovers of a killed one and a host's berth0
     * never collide. Added to the test's daemon.json (kept across restarts of the same root);
     * one that does not parse is left as the test wrote it.
     */
    private static void ownNetwork(Path daemonJson) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode cfg;
        if (Files.exists(daemonJson)) {
            try {
                cfg = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Files.readString(daemonJson));
            } catch (IOException | RuntimeException e) {
                return;
            }
            if (cfg.has("bridge")) {
                return;
            }
        } else {
            cfg = json.createObjectNode();
        }
        cfg.put("bridge", "bt" + java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(4)
                .putInt(new java.security.SecureRandom().nextInt()).array()));
        Files.writeString(daemonJson, json.writeValueAsString(cfg));
    }

    /** The test daemon's default bridge (see ownNetwork). */
    String bridge() throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(root.resolve("daemon.json"))).get("bridge").asText();
    }

    /** Its nft table: as DaemonConfig derives it from the bridge. */
    String nftTable() throws IOException {
        return "berth_" + bridge();
    }

    /** A daemon with the test busybox image loaded as busybox:latest. */
    public static DaemonProcess startWithBusybox(Path root) throws Exception {
        DaemonProcess d = start(root);
        Path archive = BusyboxArchive.write(root.resolve("busybox.tar"), "busybox:latest");
        Result load = d.docker("load", "-i", archive.toString());
        if (!load.out().contains("Loaded image: busybox:latest")) {
            d.close();
            throw new IllegalStateException("docker load failed: " + load.err());
        }
        return d;
    }

    private boolean accepts() {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.connect(java.net.UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The environment the docker CLI needs to talk to this daemon (and no other config). */
    public java.util.Map<String, String> dockerEnv() {
        return java.util.Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG", root.resolve("docker-config").toString());
    }

    /** One API call with curl (for what the docker CLI checks before it asks): status code and body. */
    public Result api(String method, String path, String jsonBody) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--unix-socket", socket.toString(), "-sS", "--max-time", "30",
                "-o", "-", "-w", "\n%{http_code}", "-X", method, "-H", "Content-Type: application/json"));
        if (jsonBody != null) {
            cmd.addAll(List.of("-d", jsonBody));
        }
        cmd.add("http://berth" + path);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        int nl = out.lastIndexOf('\n');
        return new Result(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl), "");
    }

    /** SIGKILL: the daemon dies without any cleanup, as after a crash. */
    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** docker's output, failing the test with its stderr when the command failed. */
    public String ok(String... args) throws IOException, InterruptedException {
        Result r = docker(args);
        if (r.exit() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " exited " + r.exit() + ": " + r.err());
        }
        return r.out().trim();
    }

    public Result docker(String... args) throws IOException, InterruptedException {
        return dockerWithInput(null, args);
    }

    /** docker with {@code input} as its stdin (null: none). */
    public Result dockerWithInput(Path input, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(dockerCli()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("DOCKER_HOST", "unix://" + socket);
        env.put("DOCKER_CONFIG", root.resolve("docker-config").toString());
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        if (input != null) {
            pb.redirectInput(input.toFile());
        }
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("docker " + String.join(" ", args) + " timed out");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    public static String dockerCli() {
        for (String c : new String[] {"/usr/bin/docker", "/usr/local/bin/docker"}) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new AssertionError("no docker CLI (.ci/run installs docker.io where none is present)");
    }

    /** SIGTERM, as an init system stops it; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            Leftovers.removeNetworkIfIdle(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
