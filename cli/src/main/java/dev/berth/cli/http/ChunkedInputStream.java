package dev.berth.cli.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body in HTTP/1.1's chunked transfer coding (RFC 9112 §7.1), which the daemon uses for every
 * streamed answer (pull progress, logs, wait). Reads never block for more than the current chunk
 * holds, so a follower sees each chunk as it arrives.
 */
final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!nextChunk()) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection closed inside a chunk");
        }
        remaining -= n;
        if (remaining == 0) {
            HttpWire.readLine(in); // the CRLF after the chunk's data
        }
        return n;
    }

    /** False at the last chunk (size 0; its trailer section is read and dropped). */
    private boolean nextChunk() throws IOException {
        while (!done && remaining == 0) {
            String line = HttpWire.readLine(in);
            if (line == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int semi = line.indexOf(';');
            String size = (semi < 0 ? line : line.substring(0, semi)).trim();
            if (size.isEmpty()) {
                continue;
            }
            remaining = Long.parseLong(size, 16);
            if (remaining == 0) {
                done = true;
                for (String t = HttpWire.readLine(in); t != null && !t.isEmpty(); t = HttpWire.readLine(in)) {
                    // trailers carry nothing the CLI needs
                }
            }
        }
        return !done;
    }

    @Override
    public int available() throws IOException {
        return done ? 0 : (int) Math.min(remaining, in.available());
    }
}
