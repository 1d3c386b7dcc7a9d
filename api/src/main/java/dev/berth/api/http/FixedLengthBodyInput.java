package dev.berth.api.http;

import java.io.IOException;

/** A body framed by Content-Length (RFC 9112 §6.2). */
final class FixedLengthBodyInput extends BodyInput {
    private final ChannelInput in;
    private long remaining;

    FixedLengthBodyInput(ChannelInput in, long length) {
        this.in = in;
        this.remaining = length;
    }

    @Override
    boolean finished() {
        return remaining == 0;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        touch();
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            // RFC 9112 §8: a message shorter than its Content-Length is incomplete.
            throw new MalformedRequestException("request body ended " + remaining + " bytes short of its Content-Length");
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(in.available(), remaining);
    }
}
