package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Attaches to containers' shims, and the handshake that keeps `docker run` from losing output:
 * an attach is registered before the client hears it is up, and a start waits (bounded) until
 * every registered attach has connected to the shim's socket.
 */
public final class Attachments {
    private static final long CONNECT_WAIT_NANOS = 2_000_000_000L;

    private final Function<String, Path> socketOf;
    private final Predicate<String> mayStillRun;
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();

    /**
     * @param socketOf    a container's attach socket
     * @param mayStillRun false once a container has exited or gone: waiting for its shim is pointless
     */
    Attachments(Function<String, Path> socketOf, Predicate<String> mayStillRun) {
        this.socketOf = socketOf;
        this.mayStillRun = mayStillRun;
    }

    Pending register(String id) {
        AtomicInteger count = pending.computeIfAbsent(id, k -> new AtomicInteger());
        count.incrementAndGet();
        return new Pending(id, count);
    }

    /** Called by a start between the shim's creation and the program's start. */
    void awaitConnected(String id) throws InterruptedException {
        AtomicInteger count = pending.get(id);
        long deadline = System.nanoTime() + CONNECT_WAIT_NANOS;
        while (count != null && count.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    /**
     * Sets the size of a container's terminal (docker's resize): one short connection to its
     * shim carrying a resize record. Nothing to do while no shim listens (not started).
     */
    void resize(String id, int rows, int cols) throws IOException {
        try (AttachSession session = tryConnect(socketOf.apply(id))) {
            if (session != null) {
                session.resize(rows, cols);
            }
        }
    }

    /** The container is gone. */
    void forget(String id) {
        pending.remove(id);
    }

    /** An attach registered but not yet connected. */
    public final class Pending implements AutoCloseable {
        private final String id;
        private final AtomicInteger count;
        private boolean counted = true;

        private Pending(String id, AtomicInteger count) {
            this.id = id;
            this.count = count;
        }

        /** Waits for the container's shim (its start), then connects to it. */
        public AttachSession connect() throws IOException, InterruptedException {
            try {
                Path socket = socketOf.apply(id);
                for (;;) {
                    if (!mayStillRun.test(id)) {
                        throw new EngineException(409, "container " + id + " is not running");
                    }
                    AttachSession session = tryConnect(socket);
                    if (session != null) {
                        return session;
                    }
                    Thread.sleep(2);
                }
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            if (counted) {
                counted = false;
                count.decrementAndGet();
            }
        }
    }

    /**
     * The session, or null while no shim accepts on the socket. The shim renames its socket into
     * place only once it listens (native/src/ops.c unix_socket), so the path is either missing (no
     * shim yet) or refuses: a socket left by a shim that died, until the next shim's replaces it.
     */
    private static AttachSession tryConnect(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return null;
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new AttachSession(ch);
        } catch (ConnectException refused) {
            ch.close();
            return null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }
}
