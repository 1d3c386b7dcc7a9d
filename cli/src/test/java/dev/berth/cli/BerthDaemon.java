package dev.berth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A `bin/berth daemon` of a test's own (its own data root, exec root and socket), and the
 * `bin/berth` CLI run as a process against it, as a user would. The daemon is stopped with
 * SIGTERM by its own pid.
 */
final class BerthDaemon implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("berth.home", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {}

    final Path root;
    final Path socket;
    private final Process process;
    private final Path log;

    private BerthDaemon(Path root, Process process, Path log) {
        this.root = root;
        this.socket = root.resolve("exec/berth.sock");
        this.process = process;
        this.log = log;
    }

    static BerthDaemon start(Path root) throws IOException, InterruptedException {
        Path log = root.resolve("daemon.log");
        Files.createDirectories(root);
        // A default bridge of its own (and so an nft table of its own): never the host's berth0.
        Files.writeString(root.resolve("daemon.json"), "{\"bridge\": \"bc" + java.util.HexFormat.of()
                .formatHex(java.nio.ByteBuffer.allocate(4).putInt(new java.security.SecureRandom().nextInt()).array()) + "\"}");
        Process p = new ProcessBuilder(HOME.resolve("bin/berth").toString(), "daemon",
                "--data-root", root.resolve("data").toString(), "--exec-root", root.resolve("exec").toString(),
                "--host", "unix://" + root.resolve("exec/berth.sock"), "--config-file", root.resolve("daemon.json").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BerthDaemon d = new BerthDaemon(root, p, log);
        for (int i = 0; i < 500 && !Files.exists(d.socket); i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("daemon exited: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return d;
    }

    /** A daemon with busybox:latest loaded by `berth load` from an archive made on the spot in {@code scratch}. */
    static BerthDaemon startWithBusybox(Path root, Path scratch) throws Exception {
        BerthDaemon d = start(root);
        Path archive = dev.berth.testkit.BusyboxArchive.write(scratch.resolve("busybox.tar"), "busybox:latest");
        Result load = d.berth("load", "-i", archive.toString());
        if (load.exit() != 0 || !load.out().equals("Loaded image: busybox:latest\n")) {
            d.close();
            throw new IllegalStateException("berth load failed: " + load);
        }
        return d;
    }

    /** `bin/berth args...` with BERTH_HOST pointing at this daemon. */
    Result berth(String... args) throws IOException, InterruptedException {
        return run(root, Map.of("BERTH_HOST", "unix://" + socket), args);
    }

    /** `bin/berth args...` with this file as its standard input. */
    Result berthWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        return run(root, Map.of("BERTH_HOST", "unix://" + socket), stdin, args);
    }

    /** `bin/berth args...` with the given environment additions (DOCKER_HOST and BERTH_HOST removed first). */
    static Result run(Path scratch, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(scratch, env, Path.of("/dev/null"), args);
    }

    static Result run(Path scratch, Map<String, String> env, Path stdin, String... args) throws IOException, InterruptedException {
        return run(HOME.resolve("bin/berth"), scratch, env, stdin, args);
    }

    /** The docker CLI (28, at /usr/local/bin/docker) against this daemon, with a config dir of its own: the reference output. */
    Result docker(String... args) throws IOException, InterruptedException {
        return run(Path.of("/usr/local/bin/docker"), root, Map.of("DOCKER_HOST", "unix://" + socket,
                "DOCKER_CONFIG", root.resolve("docker-config").toString()), Path.of("/dev/null"), args);
    }

    private static Result run(Path program, Path scratch, Map<String, String> env, Path stdin, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(program.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DOCKER_HOST");
        pb.environment().remove("BERTH_HOST");
        // No CLI server (CliServerTest has its own): one started here would outlive the test run.
        pb.environment().put("BERTH_CLI_SERVER", "0");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(program.getFileName() + " " + String.join(" ", args) + " timed out");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        removeNetwork();
    }

    /** The daemon keeps its bridges and nft table when it stops (as dockerd): the test's go here. */
    private void removeNetwork() throws InterruptedException {
        try {
            String bridge = Files.readString(root.resolve("daemon.json")).replaceAll("(?s).*\"bridge\": \"([^\"]+)\".*", "$1");
            List<String> bridges = new ArrayList<>(List.of(bridge));
            Path networks = root.resolve("data/network/networks");
            if (Files.isDirectory(networks)) {
                try (var files = Files.list(networks)) {
                    for (Path f : files.toList()) {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"bridge\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(f));
                        if (m.find()) {
                            bridges.add(m.group(1));
                        }
                    }
                }
            }
            for (String b : bridges) {
                new ProcessBuilder("ip", "link", "del", b).redirectErrorStream(true).start().waitFor();
            }
            new ProcessBuilder("nft", "delete", "table", "ip", "berth_" + bridge).redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
