package dev.berth.api.http;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over by a handler after {@link Response#hijack}: raw bytes both ways, no
 * HTTP framing. The input begins with whatever the client sent after the request (possibly
 * already buffered); the output is unbuffered, so every write reaches the socket.
 *
 * <p>Half-closing matters for attach and exec: {@code docker exec -i} half-closes its side when
 * its stdin ends (the container then sees EOF on stdin), and keeps reading until the server
 * half-closes or closes ours. {@link #shutdownOutput()} is that server half-close.
 */
public final class Hijacked implements Closeable {
    /** The Content-Type of a hijacked stream carrying a tty's bytes as they are. */
    public static final String RAW_STREAM = "application/vnd.docker.raw-stream";
    /** The Content-Type of a stream in {@link StdStream} framing (API 1.42 and later). */
    public static final String MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";

    private final HttpConnection conn;
    private final boolean upgraded;
    private final InputStream input;
    private final OutputStream output;

    Hijacked(HttpConnection conn, boolean upgraded) {
        this.conn = conn;
        this.upgraded = upgraded;
        // Closing either stream must not close the socket out from under the other direction.
        this.input = new FilterInputStream(conn.in()) {
            @Override
            public void close() {}
        };
        this.output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                conn.rawOut().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                conn.rawOut().write(b, off, len);
            }

            /** Closing the output half-closes the connection, which is what the client waits for. */
            @Override
            public void close() throws IOException {
                shutdownOutput();
            }
        };
    }

    /** True when the answer was {@code 101 UPGRADED}, false for the plain {@code 200 OK} form. */
    public boolean upgraded() {
        return upgraded;
    }

    /** Bytes from the client; -1 once it half-closed or closed. */
    public InputStream input() {
        return input;
    }

    /** Bytes to the client, unbuffered. Closing it is {@link #shutdownOutput()}. */
    public OutputStream output() {
        return output;
    }

    /** Half-closes: the client reads EOF, and may still send (SocketChannel.shutdownOutput). */
    public void shutdownOutput() throws IOException {
        if (conn.channel().isOpen()) {
            conn.channel().shutdownOutput();
        }
    }

    /** Stops reading: further reads see EOF. */
    public void shutdownInput() throws IOException {
        if (conn.channel().isOpen()) {
            conn.channel().shutdownInput();
        }
    }

    /** Closes the connection. The server also does this when the handler returns. */
    @Override
    public void close() throws IOException {
        conn.channel().close();
    }
}
