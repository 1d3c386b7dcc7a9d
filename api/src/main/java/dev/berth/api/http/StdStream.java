package dev.berth.api.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Docker's multiplexed stream framing ("Stream format" under "Attach to a container" in the
 * Engine API docs), used by logs and by attach and exec without a tty:
 *
 * <pre>
 *   header := [8]byte{STREAM_TYPE, 0, 0, 0, SIZE1, SIZE2, SIZE3, SIZE4}
 *   STREAM_TYPE: 0 stdin, 1 stdout, 2 stderr (3: a daemon error, in docker's stdcopy)
 *   SIZE: the payload's length, big-endian uint32; the payload follows
 * </pre>
 *
 * With a tty there is no framing: the stream is the tty's bytes (see {@link Hijacked#RAW_STREAM}).
 */
public final class StdStream {
    public static final int HEADER_SIZE = 8;
    /** readFrame's ceiling on one payload; docker itself writes frames of at most 32 KiB. */
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    /** The stream a frame belongs to, with its wire number. */
    public enum Kind {
        STDIN(0), STDOUT(1), STDERR(2), SYSTEMERR(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Kind of(int code) throws IOException {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new IOException("unknown stream type " + code + " in multiplexed stream");
        }
    }

    /** One decoded frame. */
    public record Frame(Kind kind, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private StdStream() {}

    /** The 8-byte header for a payload of {@code length} bytes. */
    public static byte[] header(Kind kind, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative frame length");
        }
        return new byte[] {
            (byte) kind.code, 0, 0, 0,
            (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length
        };
    }

    /**
     * Writes one frame. Header and payload are written under {@code out}'s monitor, which is
     * also what {@link ResponseStream} locks, so frames from the stdout and stderr pumps never
     * interleave. Empty payloads are skipped: a zero-length frame means nothing to a reader.
     */
    public static void writeFrame(OutputStream out, Kind kind, byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        synchronized (out) {
            out.write(header(kind, len));
            out.write(b, off, len);
        }
    }

    public static void writeFrame(OutputStream out, Kind kind, byte[] payload) throws IOException {
        writeFrame(out, kind, payload, 0, payload.length);
    }

    /**
     * A stream that turns every write into one frame of {@code kind} on {@code out}. Flushing
     * flushes {@code out}; closing it does not close {@code out}, which other kinds share.
     */
    public static OutputStream framing(OutputStream out, Kind kind) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeFrame(out, kind, b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }

    /** The next frame, or null at end of stream on a frame boundary; EOFException inside one. */
    public static Frame readFrame(InputStream in) throws IOException {
        byte[] h = new byte[HEADER_SIZE];
        int got = in.readNBytes(h, 0, HEADER_SIZE);
        if (got == 0) {
            return null;
        }
        if (got < HEADER_SIZE) {
            throw new EOFException("stream ended inside a frame header");
        }
        Kind kind = Kind.of(h[0] & 0xff);
        long length = payloadLength(h);
        if (length > MAX_FRAME) {
            throw new IOException("frame of " + length + " bytes exceeds " + MAX_FRAME);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("stream ended inside a frame");
        }
        return new Frame(kind, payload);
    }

    /**
     * Copies frames to {@code stdout} and {@code stderr} until the stream ends, as docker's
     * StdCopy does; returns the payload bytes copied. A SYSTEMERR frame carries a daemon-side
     * error, which is thrown. Payloads are streamed, never held whole.
     */
    public static long demultiplex(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] h = new byte[HEADER_SIZE];
        byte[] buf = new byte[32 * 1024];
        long total = 0;
        while (true) {
            int got = in.readNBytes(h, 0, HEADER_SIZE);
            if (got == 0) {
                return total;
            }
            if (got < HEADER_SIZE) {
                throw new EOFException("stream ended inside a frame header");
            }
            Kind kind = Kind.of(h[0] & 0xff);
            long left = payloadLength(h);
            if (kind == Kind.SYSTEMERR) {
                byte[] message = in.readNBytes((int) Math.min(left, MAX_FRAME));
                throw new IOException("error from daemon in stream: " + new String(message, StandardCharsets.UTF_8));
            }
            OutputStream target = kind == Kind.STDERR ? stderr : stdout;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException("stream ended inside a frame");
                }
                target.write(buf, 0, n);
                left -= n;
                total += n;
            }
        }
    }

    private static long payloadLength(byte[] h) {
        return (h[4] & 0xffL) << 24 | (h[5] & 0xffL) << 16 | (h[6] & 0xffL) << 8 | (h[7] & 0xffL);
    }
}
