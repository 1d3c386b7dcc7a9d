package dev.berth.api.http;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Starts a server on a socket in a fresh temporary directory and stops it after each test. */
abstract class ServerFixture {
    @TempDir
    Path dir;

    UnixHttpServer server;

    Path socket() {
        return dir.resolve("api.sock");
    }

    UnixHttpServer start(Handler handler) throws IOException {
        server = UnixHttpServer.builder(socket(), handler)
                .responseHeaders(h -> h.set("Api-Version", "1.47").set("Ostype", "linux").set("Server", "Docker/27.0.0-berth (linux)"))
                .start();
        return server;
    }

    RawClient client() throws IOException {
        return new RawClient(socket());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }
}
