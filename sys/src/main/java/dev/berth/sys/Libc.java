package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The plumbing every FFM binding in this package shares: symbol lookup, errno capture, EINTR
 * retry, and poll(2) for timeouts. Each class keeps its own MethodHandles in static fields, so a
 * binding is only linked when its class is first used (see {@link Syscalls} on why that matters).
 */
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // errno values this package tests for; Errno has names for the rest.
    static final int EINTR = 4, EIO = 5, EBADMSG = 74, EMSGSIZE = 90, ETIMEDOUT = 110, ENAMETOOLONG = 36;

    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final short POLLIN = 0x1;

    private Libc() {}

    /** A downcall handle whose first parameter is the MemorySegment that receives errno. */
    static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** The errno a downcall left in its capture state. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** One downcall; returns what the C function returned (widened), -1 meaning "see errno". */
    @FunctionalInterface
    interface Call {
        long invoke(MemorySegment errnoState) throws Throwable;
    }

    /**
     * Runs {@code call}, again while it fails with EINTR (signal(7): a handler without SA_RESTART,
     * or any signal during poll, interrupts a blocking call), and throws SyscallException naming
     * {@code what} on any other failure.
     */
    static long call(String what, Call call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            while (true) {
                long rc = call.invoke(state);
                if (rc != -1) {
                    return rc;
                }
                int errno = errno(state);
                if (errno != EINTR) {
                    throw new SyscallException(what, errno);
                }
            }
        } catch (SyscallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(what, t);
        }
    }

    /**
     * Waits until {@code fd} is readable, or has hung up or failed (the call that follows then
     * reports why), for at most {@code timeout}; throws ETIMEDOUT naming {@code what} after that.
     * poll(2) rather than SO_RCVTIMEO: it works for accept and recvmsg alike and leaves the fd's
     * options untouched for whoever uses it next.
     */
    static void awaitReadable(int fd, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Arena arena = Arena.ofConfined()) {
            // struct pollfd { int fd; short events; short revents; }
            MemorySegment pollfd = arena.allocate(8, 4);
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            while (true) {
                long left = deadline - System.nanoTime();
                int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (left + 999_999) / 1_000_000));
                pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                // EINTR is retried by call() with the old timeout; the deadline check below bounds it.
                long ready = call("poll " + what, st -> (int) POLL.invokeExact(st, pollfd, 1L, millis));
                if (ready > 0) {
                    return;
                }
                if (deadline - System.nanoTime() <= 0) {
                    throw new SyscallException(what, ETIMEDOUT);
                }
            }
        }
    }
}
