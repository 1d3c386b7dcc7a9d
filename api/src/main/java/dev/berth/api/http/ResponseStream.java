package dev.berth.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A streamed response body (see {@link Response#stream}). Writes are buffered until
 * {@link #flush()}, which sends them as one chunk; {@link #send} and {@link #writeJson} write
 * and flush one message, which is what docker's events, logs -f and progress streams need.
 * Methods are synchronized: a logs handler may pump stdout and stderr from two threads, and a
 * message (or a {@link StdStream} frame) must reach the wire whole.
 *
 * <p>The client going away shows up as {@link ClientGoneException} on a write. A handler that
 * waits for something to write (an event bus, a container's exit) can instead ask
 * {@link #clientGone()} or register {@link #onClientGone}: both start watching the socket for
 * the client closing it, and so must only be used once the handler has finished reading the
 * request body (the watcher reads and drops whatever is left of it).
 */
public final class ResponseStream extends OutputStream {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpConnection conn;
    private final BodyInput requestBody;
    private final boolean chunked;
    private final boolean discard;
    private final byte[] buf = new byte[8192];
    private int count;
    private boolean closed;

    ResponseStream(HttpConnection conn, BodyInput requestBody, boolean chunked, boolean discard) {
        this.conn = conn;
        this.requestBody = requestBody;
        this.chunked = chunked;
        this.discard = discard;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        if (discard) {
            return;
        }
        if (count + len > buf.length) {
            emit();
            if (len >= buf.length) {
                emit(b, off, len);
                return;
            }
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Sends what was written since the last flush as one chunk, and pushes it to the socket. */
    @Override
    public synchronized void flush() throws IOException {
        ensureOpen();
        if (discard) {
            return;
        }
        emit();
        conn.out().flush();
    }

    /** Writes {@code message} and flushes it. */
    public synchronized void send(byte[] message) throws IOException {
        write(message, 0, message.length);
        flush();
    }

    /** One JSON document and a newline (Go's json.Encoder framing, which docker clients read), flushed. */
    public synchronized void writeJson(Object value) throws IOException {
        byte[] bytes = conn.config().json().writeValueAsBytes(value);
        write(bytes, 0, bytes.length);
        write('\n');
        flush();
    }

    /** Ends the body: the last chunk (RFC 9112 §7.1) on HTTP/1.1. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        if (discard) {
            closed = true;
            return;
        }
        try {
            emit();
            if (chunked) {
                conn.out().write(LAST_CHUNK);
            }
            conn.out().flush();
        } finally {
            closed = true;
        }
    }

    /**
     * Whether the client has closed the connection. The first call starts watching the socket;
     * from then on the request body must not be read.
     */
    public boolean clientGone() {
        conn.watchClient(requestBody);
        return conn.clientGone();
    }

    /**
     * Runs {@code action} (once, on another thread) when the client closes the connection
     * before the stream ends; runs it at once if it already has. Starts watching the socket,
     * after which the request body must not be read.
     */
    public void onClientGone(Runnable action) {
        conn.onClientGone(action);
        conn.watchClient(requestBody);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("response stream closed");
        }
        if (conn.clientGone()) {
            throw new ClientGoneException("client closed the connection");
        }
    }

    private void emit() throws IOException {
        if (count > 0) {
            emit(buf, 0, count);
            count = 0;
        }
    }

    private void emit(byte[] b, int off, int len) throws IOException {
        if (chunked) {
            conn.out().write(Integer.toHexString(len).getBytes(StandardCharsets.US_ASCII));
            conn.out().write(CRLF);
            conn.out().write(b, off, len);
            conn.out().write(CRLF);
        } else {
            conn.out().write(b, off, len);
        }
    }
}
