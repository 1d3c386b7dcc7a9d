package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Tells when processes that are not necessarily our children exit: one pidfd per process
 * (pidfd_open(2): readable once the process has terminated), all in one epoll set served by a
 * single platform thread. A thousand watched processes cost a thousand fds and no threads; a
 * virtual thread per process would pin a carrier in every blocking downcall.
 */
public final class ExitWatcher implements AutoCloseable {
    /** __NR_pidfd_open: 434 on every architecture (the unified numbers since 5.1). */
    private static final long SYS_PIDFD_OPEN = 434;
    private static final int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLLIN = 0x1;
    private static final int ESRCH = 3;
    /** struct epoll_event is packed on x86-64 (12 bytes), naturally aligned elsewhere (16). */
    private static final boolean PACKED = System.getProperty("os.arch").matches("amd64|x86_64");
    private static final long EVENT_SIZE = PACKED ? 12 : 16, DATA_OFFSET = PACKED ? 4 : 8;
    private static final int BATCH = 64;

    private static final MethodHandle SYSCALL = Libc.bind("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle EPOLL_CREATE1 = Libc.bind("epoll_create1", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle EPOLL_CTL = Libc.bind("epoll_ctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle EPOLL_WAIT = Libc.bind("epoll_wait", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Fd epoll;
    private final Map<Integer, Watch> byFd = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private record Watch(Fd pidfd, Runnable onExit) {}

    public ExitWatcher(String name) {
        epoll = Fd.adopt((int) Libc.call("epoll_create1", st -> (int) EPOLL_CREATE1.invokeExact(st, EPOLL_CLOEXEC)));
        thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /**
     * Runs {@code onExit} (on a virtual thread) once process {@code pid} has exited. {@code
     * stillOurs} is asked after the pidfd is open, so that a pid reused by another process is
     * recognised: if it answers false, or the process is already gone, onExit runs at once.
     */
    public void watch(int pid, BooleanSupplier stillOurs, Runnable onExit) {
        Fd pidfd;
        try {
            pidfd = Fd.adopt((int) Libc.call("pidfd_open " + pid, st -> (long) SYSCALL.invokeExact(st, SYS_PIDFD_OPEN, (long) pid, 0L)));
        } catch (SyscallException e) {
            if (e.errno().number() != ESRCH) {
                throw e;
            }
            Thread.ofVirtual().start(onExit);
            return;
        }
        if (!stillOurs.getAsBoolean()) {
            pidfd.close();
            Thread.ofVirtual().start(onExit);
            return;
        }
        byFd.put(pidfd.number(), new Watch(pidfd, onExit));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT_SIZE, 4);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
            event.set(ValueLayout.JAVA_INT_UNALIGNED, DATA_OFFSET, pidfd.number());
            Libc.call("epoll_ctl ADD", st -> (int) EPOLL_CTL.invokeExact(st, epoll.number(), EPOLL_CTL_ADD, pidfd.number(), event));
        } catch (RuntimeException e) {
            byFd.remove(pidfd.number());
            pidfd.close();
            throw e;
        }
    }

    /** How many processes are being watched. */
    public int size() {
        return byFd.size();
    }

    private void loop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(EVENT_SIZE * BATCH, 8);
            while (!closed) {
                // A bounded wait, so that close() is noticed without a wake-up fd.
                int n = (int) Libc.call("epoll_wait", st -> (int) EPOLL_WAIT.invokeExact(st, epoll.number(), events, BATCH, 500));
                for (int i = 0; i < n; i++) {
                    int fd = events.get(ValueLayout.JAVA_INT_UNALIGNED, i * EVENT_SIZE + DATA_OFFSET);
                    fired(fd);
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    private void fired(int fd) {
        Watch w = byFd.remove(fd);
        if (w == null) {
            return;
        }
        try {
            Libc.call("epoll_ctl DEL", st -> (int) EPOLL_CTL.invokeExact(st, epoll.number(), EPOLL_CTL_DEL, fd, MemorySegment.NULL));
        } finally {
            w.pidfd().close();
        }
        Thread.ofVirtual().start(w.onExit());
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byFd.values().forEach(w -> w.pidfd().close());
        byFd.clear();
        epoll.close();
    }
}
