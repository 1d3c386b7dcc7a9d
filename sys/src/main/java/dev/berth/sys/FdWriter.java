package dev.berth.sys;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Moves bytes into file descriptors through one native buffer that lives as long as this
 * object: a tar with ten thousand small files costs ten thousand write(2)s, not ten thousand
 * buffer allocations. Also copies between descriptors in the kernel with copy_file_range(2)
 * (a reflink on btrfs and xfs). Confined to the thread that made it.
 */
public final class FdWriter implements AutoCloseable {
    private static final MethodHandle READ = Libc.bind("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = Libc.bind("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle COPY_FILE_RANGE = Libc.bind("copy_file_range", FunctionDescriptor.of(
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private static final int SIZE = 1 << 20;
    private static final int EXDEV = 18, EINVAL = 22, ENOSYS = 38, EOPNOTSUPP = 95;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(SIZE);
    private final byte[] heap = new byte[SIZE];

    /** Copies {@code in} to its end into {@code out}; returns the byte count. */
    public long transfer(InputStream in, Fd out) throws IOException {
        int fd = out.number();
        long total = 0;
        int n;
        while ((n = in.readNBytes(heap, 0, SIZE)) > 0) {
            MemorySegment.copy(heap, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
            writeAll(fd, n);
            total += n;
            if (n < SIZE) {
                break;
            }
        }
        return total;
    }

    private void writeAll(int fd, long len) {
        long done = 0;
        while (done < len) {
            MemorySegment rest = buffer.asSlice(done, len - done);
            done += Libc.call("write fd " + fd, st -> (long) WRITE.invokeExact(st, fd, rest, rest.byteSize()));
        }
    }

    /**
     * Copies all of {@code in} (from its current offset to its end) into {@code out}: with
     * copy_file_range(2), or with read and write where the kernel cannot (across filesystems
     * before 5.3, or filesystems that do not implement it).
     */
    public long copy(Fd in, Fd out) {
        int from = in.number();
        int to = out.number();
        long total = 0;
        try {
            while (true) {
                long n = Libc.call("copy_file_range", st -> (long) COPY_FILE_RANGE.invokeExact(st, from,
                        MemorySegment.NULL, to, MemorySegment.NULL, (long) SIZE * 64, 0));
                if (n == 0) {
                    return total;
                }
                total += n;
            }
        } catch (SyscallException e) {
            int errno = e.errno().number();
            if (total > 0 || (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)) {
                throw e;
            }
        }
        while (true) {
            long n = Libc.call("read fd " + from, st -> (long) READ.invokeExact(st, from, buffer, (long) SIZE));
            if (n == 0) {
                return total;
            }
            writeAll(to, n);
            total += n;
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
