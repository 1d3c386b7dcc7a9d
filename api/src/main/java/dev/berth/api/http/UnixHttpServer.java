package dev.berth.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 server on a unix socket, one virtual thread per connection.
 *
 * <p>Why our own and not a framework: the Docker Engine API hijacks connections for attach and
 * exec, and owning the socket makes that a matter of handing over two streams. The JDK's
 * {@link ServerSocketChannel} speaks {@link StandardProtocolFamily#UNIX} since JDK 16, and
 * virtual threads make blocking I/O per connection cheap.
 *
 * <pre>
 *   UnixHttpServer server = UnixHttpServer.builder(Path.of("/run/berth/berth.sock"), router)
 *           .group("docker")
 *           .responseHeaders(h -&gt; h.set("Api-Version", "1.47"))
 *           .start();
 *   ...
 *   server.stop(Duration.ofSeconds(10));
 * </pre>
 */
public final class UnixHttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UnixHttpServer.class.getName());
    /** dockerd's socket mode: owner and group read-write, nobody else. */
    public static final Set<PosixFilePermission> DEFAULT_MODE = PosixFilePermissions.fromString("rw-rw----");

    private final Path socket;
    private final Set<PosixFilePermission> mode;
    private final String group;
    private final ServerConfig config;
    private final Set<HttpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private ServerSocketChannel listener;
    private Thread acceptor;
    private volatile boolean stopping;
    private boolean stopped;

    private UnixHttpServer(Builder b) {
        this.socket = b.socket;
        this.mode = b.mode;
        this.group = b.group;
        this.config = new ServerConfig(
                b.handler,
                b.json != null ? b.json : Json.mapper(),
                b.responseHeaders,
                b.errorMapper,
                b.maxHeaderBytes,
                b.drainLimit);
    }

    public static Builder builder(Path socket, Handler handler) {
        return new Builder(socket, handler);
    }

    /** Binds the socket, sets its mode and group, and starts accepting. */
    private synchronized UnixHttpServer start() throws IOException {
        SocketFile.prepare(socket);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket));
            // chmod after bind, as dockerd does: there is no umask-free way to bind with a mode.
            SocketFile.restrict(socket, mode, group);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(socket);
            throw e;
        }
        listener = ch;
        acceptor = Thread.ofVirtual().name("berth-api-accept").start(this::acceptLoop);
        return this;
    }

    private void acceptLoop() {
        while (!stopping) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (ClosedChannelException e) {
                return; // stop() closed the listener
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                // EMFILE and friends: back off instead of spinning, as Go's http.Server does.
                LOG.log(Level.WARNING, "accept failed: {0}", e.toString());
                sleepQuietly(Duration.ofMillis(50));
                continue;
            }
            HttpConnection conn = new HttpConnection(this, config, client);
            connections.add(conn);
            if (stopping) {
                conn.forceClose();
                connections.remove(conn);
                return;
            }
            Thread.ofVirtual().name("berth-api-conn-" + accepted.incrementAndGet()).start(conn);
        }
    }

    /** The socket this server listens on. */
    public Path socket() {
        return socket;
    }

    /** Connections open now (accepted and not yet closed). */
    public int openConnections() {
        return connections.size();
    }

    boolean stopping() {
        return stopping;
    }

    void connectionEnded(HttpConnection conn) {
        connections.remove(conn);
        synchronized (connections) {
            connections.notifyAll();
        }
    }

    /**
     * Stops gracefully: no new connections; idle ones close now; requests in flight (including
     * streams and hijacked connections) get until {@code grace} runs out, after which every
     * connection is closed and handlers see their reads and writes fail. Removes the socket.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        stopping = true;
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "closing listener: {0}", e.toString());
        }
        joinQuietly(acceptor, Duration.ofSeconds(1));
        for (HttpConnection conn : connections) {
            conn.closeIfIdle();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        if (!awaitNoConnections(deadline)) {
            for (HttpConnection conn : connections) {
                conn.forceClose();
            }
            awaitNoConnections(System.nanoTime() + Duration.ofSeconds(2).toNanos());
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "removing {0}: {1}", socket, e.toString());
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private boolean awaitNoConnections(long deadline) {
        synchronized (connections) {
            while (!connections.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    connections.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return connections.isEmpty();
                }
            }
            return true;
        }
    }

    private static void joinQuietly(Thread t, Duration d) {
        if (t == null) {
            return;
        }
        try {
            t.join(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings for a server; {@link #start()} binds and returns it. */
    public static final class Builder {
        private final Path socket;
        private final Handler handler;
        private Set<PosixFilePermission> mode = DEFAULT_MODE;
        private String group;
        private ObjectMapper json;
        private Consumer<Headers> responseHeaders = h -> {};
        private ErrorMapper errorMapper = f -> null;
        private int maxHeaderBytes = 64 * 1024;
        private long drainLimit = 256 * 1024;

        private Builder(Path socket, Handler handler) {
            this.socket = Objects.requireNonNull(socket, "socket");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** The socket's permissions; {@link #DEFAULT_MODE} (0660) unless set. */
        public Builder mode(Set<PosixFilePermission> mode) {
            this.mode = Set.copyOf(mode);
            return this;
        }

        /** The socket's group, a name or a numeric gid (dockerd's {@code --group}); unchanged if unset. */
        public Builder group(String group) {
            this.group = group;
            return this;
        }

        /** The Jackson mapper for JSON bodies; {@link Json#mapper()} unless set. */
        public Builder json(ObjectMapper json) {
            this.json = json;
            return this;
        }

        /**
         * Adds headers to every response, errors and hijacks included: dockerd sends
         * {@code Api-Version}, {@code Docker-Experimental}, {@code Ostype} and
         * {@code Server: Docker/<version> (linux)} on each. Called before the handler runs, so a
         * handler can still override what it set.
         */
        public Builder responseHeaders(Consumer<Headers> hook) {
            this.responseHeaders = Objects.requireNonNull(hook);
            return this;
        }

        /** Maps handler failures to statuses; what it returns null for gets the default mapping. */
        public Builder errorMapper(ErrorMapper mapper) {
            this.errorMapper = Objects.requireNonNull(mapper);
            return this;
        }

        /** The largest request head accepted (request line and fields); larger gets 431. Default 64 KiB. */
        public Builder maxHeaderBytes(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxHeaderBytes too small: " + bytes);
            }
            this.maxHeaderBytes = bytes;
            return this;
        }

        /**
         * How much of a request body a handler left unread the server reads and drops to keep
         * the connection; past it the connection closes instead. Default 256 KiB (Go's figure).
         */
        public Builder drainLimit(long bytes) {
            this.drainLimit = bytes;
            return this;
        }

        public UnixHttpServer start() throws IOException {
            return new UnixHttpServer(this).start();
        }
    }
}
