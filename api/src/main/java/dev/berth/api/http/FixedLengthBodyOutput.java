package dev.berth.api.http;

import java.io.IOException;
import java.io.OutputStream;

/** A response body of a declared Content-Length (RFC 9112 §6.2), checked both ways. */
final class FixedLengthBodyOutput extends OutputStream {
    private final HttpConnection conn;
    private long remaining;
    private boolean closed;

    FixedLengthBodyOutput(HttpConnection conn, long length) {
        this.conn = conn;
        this.remaining = length;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("response body already closed");
        }
        if (len > remaining) {
            conn.markBroken();
            throw new IOException("response body longer than its Content-Length");
        }
        conn.out().write(b, off, len);
        remaining -= len;
    }

    @Override
    public synchronized void flush() throws IOException {
        conn.out().flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        conn.out().flush();
        if (remaining != 0) {
            conn.markBroken();
            throw new IOException("response body " + remaining + " bytes short of its Content-Length");
        }
    }
}
