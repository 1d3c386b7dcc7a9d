package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real docker CLI against the server: version negotiation through /_ping, a versioned
 * request, and an attach (a hijacked multiplexed stream) with a wait streamed beside it.
 */
class DockerCliTest extends ServerFixture {
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch attachEnded = new CountDownLatch(1);

    private static Path docker() {
        for (String candidate : new String[] {"/usr/bin/docker", "/usr/local/bin/docker"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    @BeforeEach
    void startFakeDaemon() throws Exception {
        assertThat(docker()).as("a docker CLI (.ci/run installs docker.io where none is present)").isNotNull();
        Handler ping = (req, res) -> {
            res.header("Cache-Control", "no-cache, no-store, must-revalidate").header("Pragma", "no-cache");
            res.text(200, "OK");
        };
        Router router = new Router()
                .versions(ApiVersion.parse("1.24"), ApiVersion.parse("1.47"))
                .get("/_ping", ping)
                .head("/_ping", ping)
                .get("/version", (req, res) -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("Platform", Map.of("Name", "Berth"));
                    v.put("Version", "27.0.0-berth");
                    v.put("ApiVersion", "1.47");
                    v.put("MinAPIVersion", "1.24");
                    v.put("Os", "linux");
                    v.put("Arch", "amd64");
                    v.put("GitCommit", "0000000");
                    v.put("GoVersion", "java25");
                    v.put("KernelVersion", System.getProperty("os.version"));
                    res.json(v);
                })
                .get("/containers/{id}/json", (req, res) -> res.json(Map.of(
                        "Id", req.pathParam("id"),
                        "State", Map.of("Status", "running", "Running", true, "Paused", false, "Restarting", false),
                        "Config", Map.of("Tty", false, "OpenStdin", true, "AttachStdin", true))))
                .post("/containers/{id}/attach", (req, res) -> {
                    try (Hijacked h = res.hijack(Hijacked.MULTIPLEXED_STREAM)) {
                        OutputStream stdout = StdStream.framing(h.output(), StdStream.Kind.STDOUT);
                        OutputStream stderr = StdStream.framing(h.output(), StdStream.Kind.STDERR);
                        InputStream stdin = h.input();
                        byte[] buf = new byte[4096];
                        int n;
                        while ((n = stdin.read(buf)) >= 0) {
                            stdout.write(new String(buf, 0, n, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
                        }
                        stderr.write("stdin closed\n".getBytes(StandardCharsets.UTF_8));
                    } finally {
                        attachEnded.countDown();
                    }
                })
                .post("/containers/{id}/wait", (req, res) -> {
                    // dockerd sends the head at once and the body when the container exits.
                    ResponseStream s = res.stream(200, "application/json");
                    attachEnded.await(30, TimeUnit.SECONDS);
                    s.writeJson(Map.of("StatusCode", 3));
                });
        start((req, res) -> {
            seen.add(req.method() + " " + req.path() + " upgrade=" + req.header("Upgrade"));
            router.handle(req, res);
        });
    }

    private Result docker(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(docker().toString(), "-H", "unix://" + socket()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("DOCKER_"));
        pb.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String stdout, String stderr) {}

    @Test
    void dockerVersionNegotiatesThroughPing() throws Exception {
        Result r = docker(null, "version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}");

        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("27.0.0-berth 1.47 1.47");
        assertThat(seen).anyMatch(s -> s.matches("(HEAD|GET) /_ping .*"));
        assertThat(seen).contains("GET /v1.47/version upgrade=null");
    }

    @Test
    void dockerAttachRunsOverAHijackedMultiplexedStream() throws Exception {
        Result r = docker("hello berth\n", "attach", "c0ffee");

        assertThat(r.stdout()).isEqualTo("HELLO BERTH\n");
        assertThat(r.stderr()).contains("stdin closed");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(seen).anyMatch(s -> s.startsWith("POST /v1.47/containers/c0ffee/attach upgrade=tcp"));
    }
}
