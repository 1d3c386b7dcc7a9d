package dev.berth.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The read side of a connection, buffered. One buffer serves the request head, the body and,
 * after a hijack, the raw stream, so bytes the client sent early (the first keystrokes after an
 * attach request) are never lost between layers.
 *
 * <p>Reads go straight to {@link SocketChannel#read}, which takes only the channel's read lock:
 * another thread may write the same channel meanwhile, which a hijacked stream needs.
 */
final class ChannelInput extends InputStream {
    private final SocketChannel channel;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;

    ChannelInput(SocketChannel channel, int bufferSize) {
        this.channel = channel;
        this.buf = new byte[bufferSize];
    }

    /** Blocks until at least one byte is buffered; false if the peer closed first. */
    boolean awaitData() throws IOException {
        return pos < limit || fill() > 0;
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && fill() <= 0) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos < limit) {
            int n = Math.min(len, limit - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (eof) {
            return -1;
        }
        if (len >= buf.length) {
            // A large read (a layer tarball) bypasses the buffer.
            int n = channel.read(ByteBuffer.wrap(b, off, len));
            if (n < 0) {
                eof = true;
            }
            return n;
        }
        if (fill() <= 0) {
            return -1;
        }
        return read(b, off, len);
    }

    @Override
    public int available() {
        return limit - pos;
    }

    /**
     * Reads one line ending in LF (a preceding CR is dropped; RFC 9112 §2.2 lets a recipient
     * accept a bare LF). Returns null at end of stream before any byte. {@code budget} caps the
     * line's length in bytes, terminator included; past it, {@link LineTooLongException}.
     */
    String readLine(int budget) throws IOException {
        StringBuilder line = null;
        int used = 0;
        while (true) {
            if (pos == limit && fill() <= 0) {
                if (line == null) {
                    return null;
                }
                throw new MalformedRequestException("connection closed in the middle of a line");
            }
            int start = pos;
            int end = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    end = i;
                    break;
                }
            }
            int stop = end < 0 ? limit : end;
            used += stop - start + (end < 0 ? 0 : 1);
            if (used > budget) {
                throw new LineTooLongException();
            }
            if (line == null) {
                line = new StringBuilder(stop - start);
            }
            // Header bytes are ISO-8859-1 (RFC 9110 §5.5): one char per byte, nothing lost.
            for (int i = start; i < stop; i++) {
                line.append((char) (buf[i] & 0xff));
            }
            if (end >= 0) {
                pos = end + 1;
                int n = line.length();
                if (n > 0 && line.charAt(n - 1) == '\r') {
                    line.setLength(n - 1);
                }
                return line.toString();
            }
            pos = limit;
        }
    }

    private int fill() throws IOException {
        if (eof) {
            return -1;
        }
        pos = 0;
        limit = 0;
        int n = channel.read(ByteBuffer.wrap(buf));
        if (n < 0) {
            eof = true;
            return -1;
        }
        limit = n;
        return n;
    }

    /** A line longer than the caller allowed: too large a head, or a runaway chunk-size line. */
    static final class LineTooLongException extends IOException {
        LineTooLongException() {
            super("line too long");
        }
    }
}
