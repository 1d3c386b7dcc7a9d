package dev.berth.storage.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream ahead of its reader on a thread of its own, in chunks of 1 MiB, at most
 * {@link #DEPTH} chunks ahead. {@link TarSource} reads the decompressed tar through this: gunzip
 * then runs on one core while the reader hashes, parses headers and creates files on the other,
 * as {@code tar -xzf} overlaps gzip (a second process) with its own writes. A profile of an
 * unpack on tmpfs had inflate at about half the CPU and sha256 at a tenth; on ext4 the file
 * creation is kernel time that the decompression now hides behind.
 *
 * <p>A failure of the source (a truncated gzip, a bad CRC) reaches the reader at the point of the
 * stream where it happened, as the same exception. {@link #close} stops the reading thread and
 * waits for it (at most one chunk's read), then closes the source, as a FilterInputStream would;
 * the source is never read after close returns. The thread is never interrupted: an interrupt
 * would close an interruptible channel under the source.
 */
final class ReadAheadInputStream extends InputStream {
    static final int CHUNK = 1 << 20;
    static final int DEPTH = 4;
    private static final Object END = new Object();
    private static final long POLL_MS = 50;

    private final InputStream source;
    /** Empty buffers, for the reading thread to fill. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH);
    /** Filled {@link Chunk}s, then {@link #END} or the source's Throwable; never full, so put never blocks. */
    private final BlockingQueue<Object> filled = new ArrayBlockingQueue<>(DEPTH + 2);
    private final Thread thread;
    private volatile boolean closed;

    // The reader's side, confined to the reading caller.
    private byte[] buf;
    private int pos;
    private int limit;
    private boolean ended;
    private Throwable failed;

    private record Chunk(byte[] bytes, int length) {}

    ReadAheadInputStream(InputStream source) {
        this.source = source;
        for (int i = 0; i < DEPTH; i++) {
            free.add(new byte[CHUNK]);
        }
        this.thread = Thread.ofPlatform().daemon().name("berth-read-ahead").unstarted(this::fill);
        thread.start();
    }

    /** The reading thread: fills free buffers from the source until its end, an error or close. */
    private void fill() {
        try {
            while (true) {
                byte[] b = null;
                while (b == null) {
                    if (closed) {
                        return;
                    }
                    b = free.poll(POLL_MS, TimeUnit.MILLISECONDS);
                }
                int n = source.readNBytes(b, 0, CHUNK);
                if (n > 0) {
                    filled.put(new Chunk(b, n));
                }
                if (n < CHUNK) {
                    filled.put(END);
                    return;
                }
            }
        } catch (Throwable t) {
            filled.offer(t);
        }
    }

    /** Makes {@code buf} hold unread bytes; false at the end of the stream. */
    private boolean next() throws IOException {
        while (pos >= limit) {
            if (failed != null) {
                throw rethrow(failed);
            }
            if (ended) {
                return false;
            }
            if (closed) {
                throw new IOException("stream closed");
            }
            if (buf != null) {
                free.offer(buf);
                buf = null;
            }
            Object o;
            try {
                o = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            if (o == END) {
                ended = true;
            } else if (o instanceof Chunk c) {
                buf = c.bytes();
                pos = 0;
                limit = c.length();
            } else {
                failed = (Throwable) o;
            }
        }
        return true;
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof UncheckedIOException u) {
            return u.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IOException(t);
    }

    @Override
    public int read() throws IOException {
        if (!next()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!next()) {
            return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        while (done < n && next()) {
            int k = (int) Math.min(n - done, limit - pos);
            pos += k;
            done += k;
        }
        return done;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    /** Stops the reading thread, waits for it, and closes the source. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // The thread may be blocked on a free buffer: it polls, sees closed and returns; or in
        // the source's read, which ends by itself.
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        filled.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
