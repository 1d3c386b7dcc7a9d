package dev.berth.engine.image;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry} (distribution 2.8) on a free loopback port, storing under a
 * directory the test owns, stopped by {@link #close()} through its {@link Process}. A small copy
 * of the image module's RegistryServer, whose test classes are not on this module's classpath.
 */
final class LocalRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path log;
    private final int port;
    private final Process process;

    private LocalRegistry(Path log, int port, Process process) {
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /**
     * Skips the calling test when docker-registry is missing on a developer's machine; with CI
     * set a missing registry fails, so that the test is never skipped unnoticed.
     */
    static void assumeAvailable() {
        if (!Files.isExecutable(BINARY)) {
            String why = BINARY + " is not installed (apt-get install docker-registry)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    /** Starts an open registry (no auth) with its config, log and storage under {@code dir}. */
    static LocalRegistry start(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port = freePort();
            try {
                return start(dir, port);
            } catch (IOException e) {
                // Another process took the free port between our probe and the registry's bind.
                if (attempt >= 3 || !String.valueOf(e.getMessage()).contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static LocalRegistry start(Path dir, int port) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        String yaml = """
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: 127.0.0.1:%d
                  secret: berth-engine-test
                """.formatted(data.toAbsolutePath(), port);
        Path config = dir.resolve("config.yml");
        Files.writeString(config, yaml, StandardCharsets.UTF_8);
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        LocalRegistry registry = new LocalRegistry(log, port, process);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue() + ":\n" + registry.log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return registry;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    registry.close();
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException();
                }
            }
        }
        registry.close();
        throw new IOException("docker-registry did not listen on 127.0.0.1:" + port + " within " + START_TIMEOUT + ":\n"
                + registry.log());
    }

    /** "127.0.0.1:port": the registry part of a reference; loopback, so spoken to over http. */
    String host() {
        return "127.0.0.1:" + port;
    }

    boolean isRunning() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it is still there after 10 s; waits for the process to go. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
