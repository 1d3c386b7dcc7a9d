package dev.berth.api.http;

import java.io.IOException;

/**
 * A body in the chunked transfer coding (RFC 9112 §7.1), which the docker CLI uses for
 * {@code build}, {@code load} and {@code cp} uploads:
 *
 * <pre>
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   last-chunk   = 1*("0") [ chunk-ext ] CRLF
 * </pre>
 *
 * Chunk extensions are ignored (§7.1.1 allows it); trailer fields are read and dropped
 * (§7.1.2: a recipient may discard them), held to the same size limit as the head.
 */
final class ChunkedBodyInput extends BodyInput {
    private final ChannelInput in;
    private final int lineLimit;
    private long chunkLeft;
    private boolean done;

    ChunkedBodyInput(ChannelInput in, int lineLimit) {
        this.in = in;
        this.lineLimit = lineLimit;
    }

    @Override
    boolean finished() {
        return done;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        touch();
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (chunkLeft == 0) {
            chunkLeft = readChunkSize();
            if (chunkLeft == 0) {
                readTrailers();
                done = true;
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, chunkLeft));
        if (n < 0) {
            throw new MalformedRequestException("connection closed inside a chunk");
        }
        chunkLeft -= n;
        if (chunkLeft == 0) {
            expectLineEnd();
        }
        return n;
    }

    private long readChunkSize() throws IOException {
        String line = line();
        int end = 0;
        while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
            end++;
        }
        if (end == 0 || end > 15) {
            // 15 hex digits keep the size below 2^60: no overflow, and no real body comes near.
            throw new MalformedRequestException("malformed chunk size");
        }
        String rest = line.substring(end).stripLeading();
        if (!rest.isEmpty() && rest.charAt(0) != ';') {
            throw new MalformedRequestException("malformed chunk size");
        }
        return Long.parseLong(line, 0, end, 16);
    }

    private void expectLineEnd() throws IOException {
        if (!line().isEmpty()) {
            throw new MalformedRequestException("chunk data longer than its size");
        }
    }

    private void readTrailers() throws IOException {
        int budget = lineLimit;
        while (true) {
            String line = line();
            if (line.isEmpty()) {
                return;
            }
            budget -= line.length() + 2;
            if (budget < 0) {
                throw new MalformedRequestException(431, "request trailer fields too large");
            }
        }
    }

    private String line() throws IOException {
        try {
            String line = in.readLine(lineLimit);
            if (line == null) {
                throw new MalformedRequestException("connection closed inside a chunked body");
            }
            return line;
        } catch (ChannelInput.LineTooLongException e) {
            throw new MalformedRequestException("chunk line too long");
        }
    }
}
