package dev.berth.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A real registry for tests: Debian's {@code docker-registry} (distribution 2.8) started on a
 * free loopback port with a config of its own, storing under a directory the test owns (a
 * {@code @TempDir}). Close it to stop the process; {@link #kill()} and {@link #restart()} let a
 * test make it die mid-transfer and come back on the same port with the same content.
 * <pre>
 * try (RegistryServer registry = RegistryServer.start(tempDir)) {
 *     String reference = registry.host() + "/test/busybox:latest";
 *     ...
 * }
 * </pre>
 * Auth: {@link Builder#htpasswd} for Basic (file made by {@link #htpasswdFile}), {@link
 * Builder#tokenAuth} for docker's bearer tokens (the image module's tests have a token server).
 */
public final class RegistryServer implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    private RegistryServer(Path dir, Path config, Path log, int port) {
        this.dir = dir;
        this.config = config;
        this.log = log;
        this.port = port;
    }

    /** Whether the registry binary is installed (tests assume it; CI installs docker-registry). */
    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Skips the calling test when docker-registry is missing on a developer's machine; on CI
     * (CI set in the environment) a missing registry is a failure, so that it is never skipped
     * unnoticed.
     */
    public static void assumeAvailable() {
        if (!available()) {
            String why = BINARY + " is not installed (apt-get install docker-registry)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    /** An open registry (no auth) under {@code dir}. */
    public static RegistryServer start(Path dir) throws IOException {
        return builder(dir).start();
    }

    /** A registry that wants HTTP Basic credentials: {@code user} with {@code password}. */
    public static RegistryServer startWithBasicAuth(Path dir, String user, String password) throws IOException, InterruptedException {
        Path htpasswd = htpasswdFile(Files.createDirectories(dir), user, password);
        if (htpasswd == null) {
            throw new IllegalStateException("htpasswd is not installed (apt-get install apache2-utils)");
        }
        return builder(dir).htpasswd(htpasswd).start();
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** "127.0.0.1:port": the registry part of a reference; loopback, so spoken to over http. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://" + host());
    }

    /** Where the registry keeps blobs and repositories. */
    public Path storage() {
        return dir.resolve("data");
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, at once: the registry "dies" with its connections. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Starts the process again with the same config, port and storage. */
    public void restart() throws IOException {
        if (isRunning()) {
            stop();
        }
        launch();
    }

    @Override
    public void close() {
        stop();
    }

    private void stop() {
        if (process == null) {
            return;
        }
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
        process = null;
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("docker-registry exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        stop();
        throw new IOException("docker-registry did not listen on " + host() + " within " + START_TIMEOUT + ":\n" + log());
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
        }
    }

    /** A free loopback port (the registry binds it a moment later; a clash shows in its log). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Writes an htpasswd file with one bcrypt entry (the only hash docker-registry accepts), made
     * by {@code htpasswd -B} from apache2-utils. Returns null when htpasswd is not installed.
     */
    public static Path htpasswdFile(Path dir, String user, String password) throws IOException, InterruptedException {
        Path htpasswd = Path.of("/usr/bin/htpasswd");
        if (!Files.isExecutable(htpasswd)) {
            return null;
        }
        Path file = dir.resolve("htpasswd");
        Process p = new ProcessBuilder(htpasswd.toString(), "-Bbn", "-C", "4", user, password)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("htpasswd failed with " + p.exitValue());
        }
        Files.write(file, out);
        return file;
    }

    public static final class Builder {
        private final Path dir;
        private String auth = "";
        private int port;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Basic auth against an htpasswd file of bcrypt entries. */
        public Builder htpasswd(Path file) {
            auth = "auth:\n  htpasswd:\n    realm: berth-test\n    path: " + file.toAbsolutePath() + "\n";
            return this;
        }

        /** docker's token auth: clients get JWTs from {@code realm}, signed by a key of the PEM bundle. */
        public Builder tokenAuth(URI realm, String service, String issuer, Path rootCertBundle) {
            auth = "auth:\n  token:\n    realm: " + realm + "\n    service: " + service + "\n    issuer: " + issuer
                    + "\n    rootcertbundle: " + rootCertBundle.toAbsolutePath() + "\n";
            return this;
        }

        /** A fixed port (default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public RegistryServer start() throws IOException {
            Files.createDirectories(dir.resolve("data"));
            int p = port != 0 ? port : freePort();
            // The secret signs upload state: fixed, so that a restarted registry accepts uploads begun before.
            String yaml = """
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                      maintenance:
                        uploadpurging:
                          enabled: false
                    http:
                      addr: 127.0.0.1:%d
                      secret: berth-test-secret
                    """.formatted(dir.resolve("data").toAbsolutePath(), p) + auth;
            Path config = dir.resolve("config.yml");
            Files.writeString(config, yaml, StandardCharsets.UTF_8);
            RegistryServer server = new RegistryServer(dir, config, dir.resolve("registry.log"), p);
            try {
                server.launch();
            } catch (IOException e) {
                if (port == 0 && e.getMessage().contains("address already in use")) {
                    return start(); // another process took the free port first: pick again
                }
                throw e;
            }
            return server;
        }
    }
}
