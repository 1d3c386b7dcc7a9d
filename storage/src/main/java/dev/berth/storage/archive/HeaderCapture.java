package dev.berth.storage.archive;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps a copy of the bytes read through it while recording, and the position in the stream.
 * {@link TarSource} records the header blocks commons-compress reads for one entry, to take the
 * PAX records from their raw bytes (see {@link PaxXattrs}).
 */
final class HeaderCapture extends FilterInputStream {
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
    private final byte[] scratch = new byte[8192];
    private boolean recording;
    private long position;

    HeaderCapture(InputStream in) {
        super(in);
    }

    void begin() {
        recorded.reset();
        recording = true;
    }

    byte[] end() {
        recording = false;
        return recorded.toByteArray();
    }

    /** How many bytes have been read so far. */
    long position() {
        return position;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            position++;
            if (recording) {
                recorded.write(b);
            }
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            position += n;
            if (recording) {
                recorded.write(b, off, n);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
