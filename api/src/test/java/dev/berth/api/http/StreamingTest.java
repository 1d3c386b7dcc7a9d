package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamingTest extends ServerFixture {
    @Test
    void clientSeesEachMessageBeforeTheHandlerFinishes() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        start(new Router().get("/events", (req, res) -> {
            ResponseStream s = res.stream(200, "application/json");
            s.writeJson(Map.of("status", "start"));
            assertThat(next.await(10, TimeUnit.SECONDS)).isTrue(); // the client read message 1 already
            s.writeJson(Map.of("status", "die"));
            s.close();
            done.countDown();
        }));

        try (RawClient c = client()) {
            c.request("GET", "/events", null);
            var head = c.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(head.header("Connection")).isEqualTo("close");
            assertThat(head.header("Api-Version")).isEqualTo("1.47");

            assertThat(new String(c.readChunk(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"start\"}\n");
            assertThat(done.getCount()).isEqualTo(1); // handler still running
            next.countDown();
            assertThat(new String(c.readChunk(), StandardCharsets.UTF_8)).isEqualTo("{\"status\":\"die\"}\n");
            assertThat(c.readChunk()).isNull();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void curlReadsAStreamToItsEnd() throws Exception {
        start(new Router().post("/images/create", (req, res) -> {
            try (ResponseStream s = res.stream(200, "application/json")) {
                for (int i = 0; i < 100; i++) {
                    s.writeJson(Map.of("status", "Downloading", "progress", i));
                }
            }
        }));
        var r = Curl.run(socket(), "-X", "POST", "http://d/images/create?fromImage=busybox");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().lines()).hasSize(100);
        assertThat(r.body().lines().toList().getLast()).contains("\"progress\":99");
    }

    @Test
    void writesFailOnceTheClientIsGone() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        start(new Router().get("/logs", (req, res) -> {
            ResponseStream s = res.stream(200, "application/vnd.docker.multiplexed-stream");
            started.countDown();
            try {
                byte[] line = "log line\n".getBytes(StandardCharsets.UTF_8);
                for (long i = 0; i < 10_000_000; i++) {
                    StdStream.writeFrame(s, StdStream.Kind.STDOUT, line);
                    s.flush();
                    Thread.sleep(1);
                }
            } catch (IOException e) {
                failure.set(e);
            } finally {
                ended.countDown();
            }
        }));

        try (RawClient c = client()) {
            c.request("GET", "/logs?follow=1", null);
            assertThat(c.readHead().status()).isEqualTo(200);
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.readChunk()).isNotNull();
        }
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isInstanceOf(ClientGoneException.class);
    }

    @Test
    void aQuietStreamLearnsTheClientLeft() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        AtomicReference<Boolean> polled = new AtomicReference<>();
        start(new Router().get("/events", (req, res) -> {
            ResponseStream s = res.stream(200, "application/json");
            s.onClientGone(gone::countDown);
            // An events handler waits for events that may never come; it must still end.
            boolean left = gone.await(10, TimeUnit.SECONDS);
            polled.set(left && s.clientGone());
        }));

        try (RawClient c = client()) {
            c.request("GET", "/events", null);
            assertThat(c.readHead().status()).isEqualTo(200);
        }
        assertThat(gone.await(10, TimeUnit.SECONDS)).isTrue();
        waitFor(() -> polled.get() != null);
        assertThat(polled.get()).isTrue();
    }

    @Test
    void headOnAStreamSendsOnlyTheHead() throws Exception {
        start(new Router().get("/export", (req, res) -> {
            try (ResponseStream s = res.stream(200, "application/x-tar")) {
                s.send(new byte[1000]);
            }
        }));
        try (RawClient c = client()) {
            c.request("HEAD", "/export", null);
            var r = c.readResponse(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.header("Content-Type")).isEqualTo("application/x-tar");
            c.request("HEAD", "/export", null);
            assertThat(c.readResponse(true).status()).isEqualTo(200);
        }
    }

    @Test
    void fixedLengthBodiesAreWrittenAsTheyCome() throws Exception {
        start(new Router().get("/archive", (req, res) -> {
            try (var out = res.body(200, "application/x-tar", 10)) {
                out.write("01234".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("56789".getBytes(StandardCharsets.US_ASCII));
            }
        }).get("/short", (req, res) -> {
            var out = res.body(200, "text/plain", 10);
            out.write('x');
        }));
        try (RawClient c = client()) {
            c.request("GET", "/archive", null);
            var r = c.readResponse();
            assertThat(r.header("Content-Length")).isEqualTo("10");
            assertThat(r.body()).isEqualTo("0123456789");
            c.request("GET", "/short", null);
            var head = c.readHead();
            assertThat(head.header("Content-Length")).isEqualTo("10");
            assertThat(c.input().readAllBytes()).hasSize(1); // cut short, then closed
        }
    }

    @Test
    void aFailureAfterTheHeadCutsTheChunkedBodyShort() throws Exception {
        start(new Router().get("/pull", (req, res) -> {
            ResponseStream s = res.stream(200, "application/json");
            s.writeJson(Map.of("status", "Pulling"));
            throw new IllegalStateException("registry went away");
        }));
        try (RawClient c = client()) {
            c.request("GET", "/pull", null);
            c.readHead();
            assertThat(c.readChunk()).isNotNull();
            // No last chunk: the client can tell the response is incomplete (RFC 9112 §8).
            assertThat(c.readLine()).isNull();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(10);
        }
    }
}
