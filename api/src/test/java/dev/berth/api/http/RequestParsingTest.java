package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestParsingTest extends ServerFixture {
    @BeforeEach
    void startEcho() throws Exception {
        Router router = new Router()
                .post("/echo", (req, res) -> {
                    byte[] body = req.body().readAllBytes();
                    res.json(Map.of(
                            "length", body.length,
                            "sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)),
                            "text", body.length < 200 ? new String(body, StandardCharsets.UTF_8) : ""));
                })
                .post("/ignore", (req, res) -> res.status(204))
                .post("/json", (req, res) -> {
                    Map<?, ?> m = req.json(Map.class);
                    res.json(Map.of("got", m == null ? "nothing" : m.toString()));
                })
                .get("/hello", (req, res) -> res.text(200, "hello " + req.header("x-name")))
                .get("/silent", (req, res) -> {})
                .get("/boom", (req, res) -> {
                    throw new IllegalStateException("engine exploded");
                })
                .get("/conflict", (req, res) -> {
                    throw HttpException.conflict("name in use");
                });
        start(router);
    }

    @Test
    void chunkedRequestBodiesAreDecoded() throws Exception {
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n"
                    + "7;ext=1\r\n, world\r\n"
                    + "0\r\nX-Trailer: yes\r\n\r\n");
            var r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"text\":\"hello, world\"").contains("\"length\":12");
            // and the connection is still good for the next request
            c.request("GET", "/hello", null, "X-Name: again");
            assertThat(c.readResponse().body()).isEqualTo("hello again");
        }
    }

    @Test
    void curlUploadsALargeChunkedBody() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        var file = dir.resolve("upload.bin");
        Files.write(file, data);
        var r = Curl.run(socket(), "-X", "POST", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, "http://d/echo");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"length\":" + data.length)
                .contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @Test
    void keepAliveServesTwoRequestsOnOneConnection() throws Exception {
        try (RawClient c = client()) {
            c.request("POST", "/echo", "first");
            var one = c.readResponse();
            c.request("GET", "/hello", null, "X-Name: second");
            var two = c.readResponse();

            assertThat(one.body()).contains("\"text\":\"first\"");
            assertThat(one.header("Connection")).isNull();
            assertThat(two.body()).isEqualTo("hello second");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /hello HTTP/1.1\r\nHost: d\r\nX-Name: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: d\r\nX-Name: b\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo("hello a");
            assertThat(c.readResponse().body()).isEqualTo("hello b");
        }
    }

    @Test
    void connectionCloseEndsTheConnectionAfterTheResponse() throws Exception {
        try (RawClient c = client()) {
            c.request("GET", "/hello", null, "Connection: close", "X-Name: x");
            var r = c.readResponse();
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /hello HTTP/1.0\r\nX-Name: old\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo("hello old");
            assertThat(c.atEof()).isTrue();
        }
        try (RawClient c = client()) {
            c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\nX-Name: a\r\n\r\n");
            var r = c.readResponse();
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            c.send("GET /hello HTTP/1.0\r\nX-Name: b\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo("hello b");
        }
    }

    @Test
    void expect100ContinueIsAnsweredWhenTheHandlerReadsTheBody() throws Exception {
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: d\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            var interim = c.readHead();
            assertThat(interim.status()).isEqualTo(100);
            c.send("ping");
            var r = c.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"text\":\"ping\"");
        }
    }

    @Test
    void expect100ContinueWithAnUnreadBodyGetsNoContinueAndACloseInstead() throws Exception {
        try (RawClient c = client()) {
            c.send("POST /ignore HTTP/1.1\r\nHost: d\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
            var r = c.readResponse();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    void unreadSmallBodiesAreDrainedSoTheConnectionSurvives() throws Exception {
        try (RawClient c = client()) {
            c.request("POST", "/ignore", "x".repeat(10_000));
            assertThat(c.readResponse().status()).isEqualTo(204);
            c.request("GET", "/hello", null, "X-Name: next");
            assertThat(c.readResponse().body()).isEqualTo("hello next");
        }
    }

    @Test
    void explicitJsonNullsAndEmptyBodiesBind() throws Exception {
        var nulls = Curl.run(socket(), "-X", "POST", "-H", "Content-Type: application/json",
                "-d", "{\"Image\":\"busybox\",\"Cmd\":null}", "http://d/json");
        var empty = Curl.run(socket(), "-X", "POST", "http://d/json");
        var bad = Curl.run(socket(), "-X", "POST", "-d", "{\"Image\":", "http://d/json");

        assertThat(nulls.body()).contains("{Image=busybox, Cmd=null}");
        assertThat(empty.body()).contains("nothing");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).startsWith("{\"message\":\"invalid JSON: ");
    }

    @Test
    void tooLargeHeadersGet431() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /hello HTTP/1.1\r\nHost: d\r\nX-Big: " + "a".repeat(70 * 1024) + "\r\n\r\n");
            var r = c.readResponse();
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
            assertThat(r.body()).startsWith("{\"message\":\"request header fields too large");
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    void malformedRequestsGet400WithDockersErrorBody() throws Exception {
        String[] bad = {
            "GARBAGE\r\n\r\n",
            "GET /hello HTTP/1.1\r\n\r\n", // no Host
            "GET /hello HTTP/1.1\r\nHost: d\r\nBad Name: x\r\n\r\n",
            "GET /hello HTTP/1.1\r\nHost: d\r\n folded\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: d\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: d\r\nContent-Length: x\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: d\r\nContent-Length: 3, 4\r\n\r\n",
            "GET /hello%zz HTTP/1.1\r\nHost: d\r\n\r\n",
        };
        for (String request : bad) {
            try (RawClient c = client()) {
                c.send(request);
                var r = c.readResponse();
                assertThat(r.status()).as(request).isEqualTo(400);
                assertThat(r.body()).as(request).startsWith("{\"message\":\"");
                assertThat(c.atEof()).as(request).isTrue();
            }
        }
    }

    @Test
    void malformedChunkedBodyIs400() throws Exception {
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
            var r = c.readResponse();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("malformed chunk size");
            assertThat(c.atEof()).isTrue();
        }
    }

    @Test
    void otherVersionsCodingsAndExpectationsAreRefused() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /hello HTTP/2.0\r\nHost: d\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(505);
        }
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: d\r\nTransfer-Encoding: gzip, chunked\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(501);
        }
        try (RawClient c = client()) {
            c.send("POST /echo HTTP/1.1\r\nHost: d\r\nExpect: teapot\r\n\r\n");
            assertThat(c.readResponse().status()).isEqualTo(417);
        }
    }

    @Test
    void handlerFailuresBecomeJsonErrors() throws Exception {
        try (RawClient c = client()) {
            c.request("GET", "/boom", null);
            var boom = c.readResponse();
            c.request("GET", "/conflict", null);
            var conflict = c.readResponse();
            c.request("GET", "/silent", null);
            var silent = c.readResponse();

            assertThat(boom.status()).isEqualTo(500);
            assertThat(boom.body()).isEqualTo("{\"message\":\"engine exploded\"}\n");
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.body()).isEqualTo("{\"message\":\"name in use\"}\n");
            assertThat(silent.status()).isEqualTo(200);
            assertThat(silent.header("Content-Length")).isEqualTo("0");
        }
    }

    @Test
    void leadingEmptyLinesAndAbsoluteFormTargetsAreAccepted() throws Exception {
        try (RawClient c = client()) {
            c.send("\r\nGET http://docker/hello HTTP/1.1\r\nHost: docker\r\nX-Name: abs\r\n\r\n");
            assertThat(c.readResponse().body()).isEqualTo("hello abs");
        }
    }
}
