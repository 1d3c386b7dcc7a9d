package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HijackTest extends ServerFixture {
    private final AtomicReference<String> execBody = new AtomicReference<>();
    private final CountDownLatch handlerDone = new CountDownLatch(1);

    /**
     * An attach that upper-cases what it reads back to the client until the client half-closes,
     * then says goodbye and half-closes itself, like a container whose stdin reached EOF.
     */
    @BeforeEach
    void startEcho() throws Exception {
        Handler echo = (req, res) -> {
            if (req.hasBody()) {
                execBody.set(req.jsonTree().toString());
            }
            try (Hijacked h = res.hijack(Hijacked.RAW_STREAM)) {
                InputStream in = h.input();
                OutputStream out = h.output();
                byte[] buf = new byte[1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(new String(buf, 0, n, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
                }
                out.write("bye".getBytes(StandardCharsets.UTF_8));
                h.shutdownOutput();
            } finally {
                handlerDone.countDown();
            }
        };
        start(new Router()
                .post("/containers/{id}/attach", echo)
                .post("/exec/{id}/start", echo)
                .get("/_ping", (req, res) -> res.text(200, "OK")));
    }

    @Test
    void upgradeGets101ThenRawBytesBothWaysAndHalfClose() throws Exception {
        try (RawClient c = client()) {
            c.request("POST", "/v1.47/containers/abc/attach?stream=1&stdin=1&stdout=1", null,
                    "Connection: Upgrade", "Upgrade: tcp");
            var head = c.readHead();
            assertThat(head.statusLine()).isEqualTo("HTTP/1.1 101 UPGRADED");
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(head.header("Connection")).isEqualTo("Upgrade");
            assertThat(head.header("Upgrade")).isEqualTo("tcp");
            assertThat(head.header("Content-Length")).isNull();

            c.send("hello");
            assertThat(new String(c.input().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("HELLO");
            c.send("again");
            assertThat(new String(c.input().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("AGAIN");

            c.shutdownOutput(); // our stdin is done; the server still talks
            assertThat(new String(c.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
            assertThat(handlerDone.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void withoutUpgradeTheHijackAnswers200() throws Exception {
        try (RawClient c = client()) {
            c.request("POST", "/containers/abc/attach?stream=1", null);
            var head = c.readHead();
            assertThat(head.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(head.header("Content-Type")).isEqualTo("application/vnd.docker.raw-stream");
            assertThat(head.header("Upgrade")).isNull();
            c.send("x");
            c.shutdownOutput();
            assertThat(new String(c.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("Xbye");
        }
    }

    @Test
    void execStartReadsItsJsonBodyAndBytesSentEarlyAreNotLost() throws Exception {
        String body = "{\"Detach\":false,\"Tty\":true}";
        try (RawClient c = client()) {
            // Request, body and the first stream bytes in one write: they land in one buffer.
            c.send("POST /v1.44/exec/e1/start HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body + "early");
            assertThat(c.readHead().status()).isEqualTo(101);
            assertThat(new String(c.input().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("EARLY");
            c.shutdownOutput();
            assertThat(new String(c.input().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
        }
        assertThat(execBody.get()).isEqualTo(body);
    }

    @Test
    void theServerKeepsServingOthersWhileAStreamIsHijacked() throws Exception {
        try (RawClient attach = client(); RawClient other = client()) {
            attach.request("POST", "/containers/abc/attach", null, "Connection: Upgrade", "Upgrade: tcp");
            assertThat(attach.readHead().status()).isEqualTo(101);
            other.request("GET", "/_ping", null);
            assertThat(other.readResponse().body()).isEqualTo("OK");
            attach.send("z");
            assertThat(attach.input().readNBytes(1)).isEqualTo("Z".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void multiplexedFramesSurviveTheTrip() throws Exception {
        server.stop(java.time.Duration.ofSeconds(1));
        start(new Router().post("/containers/{id}/attach", (req, res) -> {
            try (Hijacked h = res.hijack(Hijacked.MULTIPLEXED_STREAM)) {
                StdStream.writeFrame(h.output(), StdStream.Kind.STDOUT, "out\n".getBytes(StandardCharsets.UTF_8));
                StdStream.writeFrame(h.output(), StdStream.Kind.STDERR, "err\n".getBytes(StandardCharsets.UTF_8));
            }
        }));
        try (RawClient c = client()) {
            c.request("POST", "/containers/abc/attach?stdout=1&stderr=1", null, "Connection: Upgrade", "Upgrade: tcp");
            assertThat(c.readHead().header("Content-Type")).isEqualTo("application/vnd.docker.multiplexed-stream");
            var out = new java.io.ByteArrayOutputStream();
            var err = new java.io.ByteArrayOutputStream();
            StdStream.demultiplex(c.input(), out, err);
            assertThat(Map.of("out", out.toString(), "err", err.toString())).isEqualTo(Map.of("out", "out\n", "err", "err\n"));
        }
    }
}
