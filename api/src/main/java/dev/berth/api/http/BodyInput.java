package dev.berth.api.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body: a window over the connection's input that ends where the framing says
 * (RFC 9112 §6.3). It never closes the connection; {@link #close()} only marks the handler done.
 *
 * <p>Before the first byte is read it calls {@code beforeFirstRead}, which sends
 * {@code 100 Continue} when the client asked for it: like Go's server, we promise to read the
 * body only when a handler actually wants it (RFC 9110 §10.1.1).
 */
abstract sealed class BodyInput extends InputStream permits BodyInput.Empty, FixedLengthBodyInput, ChunkedBodyInput {
    private Runnable beforeFirstRead;

    final void beforeFirstRead(Runnable hook) {
        this.beforeFirstRead = hook;
    }

    final void touch() {
        Runnable hook = beforeFirstRead;
        if (hook != null) {
            beforeFirstRead = null;
            hook.run();
        }
    }

    /** Whether the whole body has been consumed, so the next request starts at the next byte. */
    abstract boolean finished();

    /** Whether a read has ever been attempted (so a promised 100 Continue has gone out). */
    final boolean started() {
        return beforeFirstRead == null;
    }

    /** Reads and discards up to {@code limit} bytes of what is left; true if the body ended. */
    final boolean drain(long limit) throws IOException {
        byte[] scratch = new byte[8192];
        long left = limit;
        while (!finished()) {
            if (left <= 0) {
                return false;
            }
            int n = read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) {
                return finished();
            }
            left -= n;
        }
        return true;
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() {}

    /** No body: no Content-Length, no Transfer-Encoding (RFC 9112 §6.3, rule 7). */
    static final class Empty extends BodyInput {
        @Override
        boolean finished() {
            return true;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return -1;
        }
    }
}
