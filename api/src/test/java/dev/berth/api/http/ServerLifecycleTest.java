package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ServerLifecycleTest extends ServerFixture {
    private static final Handler PING = new Router().get("/_ping", (req, res) -> res.text(200, "OK"));

    @Test
    void socketIsCreatedWithMode0660InNewParentDirectories() throws Exception {
        Path nested = dir.resolve("run/berth/api.sock");
        server = UnixHttpServer.builder(nested, PING).start();

        assertThat(Files.getAttribute(nested, "unix:mode", LinkOption.NOFOLLOW_LINKS)).satisfies(mode ->
                assertThat(((Integer) mode) & 0777).isEqualTo(0660));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rw-rw----");
        assertThat(Curl.run(nested, "http://d/_ping").body()).isEqualTo("OK");
        server.stop(Duration.ofSeconds(1));
        assertThat(nested).doesNotExist();
    }

    @Test
    void groupAndModeCanBeChosen() throws Exception {
        GroupPrincipal mine = (GroupPrincipal) Files.getAttribute(dir, "posix:group");
        server = UnixHttpServer.builder(socket(), PING)
                .group(mine.getName())
                .mode(PosixFilePermissions.fromString("rw-------"))
                .start();
        assertThat(Files.getAttribute(socket(), "posix:group")).isEqualTo(mine);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket()))).isEqualTo("rw-------");
    }

    @Test
    void aStaleSocketIsReplacedButALiveOneOrAFileIsNot() throws Exception {
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket()));
        } // closed, file left behind: what a crashed daemon leaves
        assertThat(socket()).exists();
        start(PING);
        assertThat(Curl.run(socket(), "http://d/_ping").body()).isEqualTo("OK");

        assertThatThrownBy(() -> UnixHttpServer.builder(socket(), PING).start())
                .isInstanceOf(IOException.class).hasMessageContaining("in use");
        assertThat(Curl.run(socket(), "http://d/_ping").body()).isEqualTo("OK");

        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "data");
        assertThatThrownBy(() -> UnixHttpServer.builder(file, PING).start()).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("data");
    }

    @Test
    void stopLetsAnInFlightRequestFinishAndClosesIdleConnections() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(new Router()
                .get("/_ping", (req, res) -> res.text(200, "OK"))
                .get("/slow", (req, res) -> {
                    inHandler.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    res.text(200, "finished");
                }));
        try (RawClient idle = client(); RawClient busy = client()) {
            idle.request("GET", "/_ping", null);
            assertThat(idle.readResponse().body()).isEqualTo("OK");
            busy.request("GET", "/slow", null);
            assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();

            Thread stopper = Thread.ofVirtual().start(() -> server.stop(Duration.ofSeconds(10)));
            assertThat(idle.atEof()).isTrue(); // the idle one is closed at once
            assertThat(stopper.isAlive()).isTrue(); // still waiting for /slow
            release.countDown();
            var r = busy.readResponse();
            assertThat(r.body()).isEqualTo("finished");
            assertThat(r.header("Connection")).isEqualTo("close");
            stopper.join(Duration.ofSeconds(5));
            assertThat(stopper.isAlive()).isFalse();
        }
        assertThat(socket()).doesNotExist();
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void stopClosesWhatOutlivesTheGracePeriod() throws Exception {
        AtomicBoolean streamEnded = new AtomicBoolean();
        start(new Router().get("/events", (req, res) -> {
            ResponseStream s = res.stream(200, "application/json");
            try {
                while (true) {
                    s.writeJson(Map.of("tick", System.nanoTime()));
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                streamEnded.set(true);
            }
        }));
        try (RawClient c = client()) {
            c.request("GET", "/events", null);
            c.readHead();
            assertThat(c.readChunk()).isNotNull();
            long t0 = System.nanoTime();
            server.stop(Duration.ofMillis(300));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(tookMs).isBetween(250L, 3000L);
            StreamingTest.waitFor(streamEnded::get);
        }
    }

    @Test
    void fiftyClientsAtOnce() throws Exception {
        start(new Router().get("/containers/{id}/json", (req, res) -> {
            Thread.sleep(20); // hold the handler so the requests overlap
            res.json(Map.of("Id", req.pathParam("id")));
        }));
        List<Future<String>> results = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                String id = "c" + i;
                results.add(pool.submit(() -> {
                    try (RawClient c = client()) {
                        String last = null;
                        for (int round = 0; round < 5; round++) {
                            c.request("GET", "/v1.47/containers/" + id + "/json", null);
                            last = c.readResponse().body();
                        }
                        return last;
                    }
                }));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("{\"Id\":\"c" + i + "\"}\n");
            }
        }
        // curl in parallel, too: separate processes, separate connections.
        List<Future<Curl.Result>> curls = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                String id = "k" + i;
                curls.add(pool.submit(() -> Curl.run(socket(), "http://d/containers/" + id + "/json")));
            }
            for (int i = 0; i < 50; i++) {
                assertThat(curls.get(i).get(60, TimeUnit.SECONDS).body()).isEqualTo("{\"Id\":\"k" + i + "\"}\n");
            }
        }
    }

    @Test
    void errorMapperDecidesStatusesForTheCallersExceptions() throws Exception {
        class NoSuchContainer extends RuntimeException {
            NoSuchContainer(String id) {
                super("No such container: " + id);
            }
        }
        server = UnixHttpServer.builder(socket(), new Router().get("/containers/{id}/json", (req, res) -> {
                    throw new NoSuchContainer(req.pathParam("id"));
                }))
                .errorMapper(f -> f instanceof NoSuchContainer ? new ErrorMapper.HttpError(404, f.getMessage()) : null)
                .start();
        var r = Curl.run(socket(), "http://d/containers/ghost/json");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("{\"message\":\"No such container: ghost\"}\n");
    }
}
