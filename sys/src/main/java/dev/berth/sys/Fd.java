package dev.berth.sys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor this process owns and must close: one that the JDK did not open and so has no
 * FileDescriptor for (received over SCM_RIGHTS, a pty master, a socket made through FFM).
 *
 * <p>read and write are blocking downcalls. A virtual thread in a downcall pins its carrier, so a
 * thread that copies a stream for a long time (a console) should be a platform thread.
 *
 * <p>Closing is idempotent. Do not close while another thread is inside read or write on the same
 * Fd: the number may be reused by the time that call reaches the kernel (close(2), NOTES).
 */
public final class Fd implements AutoCloseable {
    private static final MethodHandle READ = Libc.bind("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = Libc.bind("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = Libc.bind("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    private final AtomicInteger number;

    private Fd(int number) {
        this.number = new AtomicInteger(number);
    }

    /** Takes ownership of {@code number}: closing this Fd closes it. */
    public static Fd adopt(int number) {
        if (number < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + number);
        }
        return new Fd(number);
    }

    /** The descriptor's number; throws EBADF once closed. */
    public int number() {
        int n = number.get();
        if (n < 0) {
            throw new SyscallException("fd already closed", Errno.EBADF);
        }
        return n;
    }

    public boolean isOpen() {
        return number.get() >= 0;
    }

    /** read(2) into {@code b}; returns the byte count, 0 at end of file. */
    public int read(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int fd = number();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(len);
            int n = (int) Libc.call("read fd " + fd, st -> (long) READ.invokeExact(st, fd, buf, (long) len));
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, off, n);
            return n;
        }
    }

    /** write(2) of all {@code len} bytes, in as many calls as the kernel needs. */
    public void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        int fd = number();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, len));
            MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                MemorySegment rest = buf.asSlice(done, len - done);
                done += Libc.call("write fd " + fd, st -> (long) WRITE.invokeExact(st, fd, rest, rest.byteSize()));
            }
        }
    }

    /** A stream over {@link #read}; closing it closes this Fd. */
    public InputStream inputStream() {
        return new InputStream() {
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
                try {
                    int n = Fd.this.read(b, off, len);
                    return n == 0 ? -1 : n;
                } catch (SyscallException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                Fd.this.close();
            }
        };
    }

    /** A stream over {@link #write}; closing it closes this Fd. */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    Fd.this.write(b, off, len);
                } catch (SyscallException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                Fd.this.close();
            }
        };
    }

    /**
     * close(2). Never retried: on Linux the number is released even when close reports EINTR, and
     * a retry could close a descriptor another thread has just been given.
     */
    @Override
    public void close() {
        int n = number.getAndSet(-1);
        if (n < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int rc = (int) CLOSE.invokeExact(state, n);
            if (rc < 0) {
                int errno = Libc.errno(state);
                if (errno != Libc.EINTR) {
                    throw new SyscallException("close fd " + n, errno);
                }
            }
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String toString() {
        int n = number.get();
        return n < 0 ? "Fd[closed]" : "Fd[" + n + "]";
    }
}
