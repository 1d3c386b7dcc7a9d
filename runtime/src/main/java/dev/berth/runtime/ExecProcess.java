package dev.berth.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process exec'd into a running container and held just before its execve (see
 * {@link BerthRuntime#execStaged}): its program was found, its shim is serving its stdio, and it
 * runs once {@link #release} writes its fifo. The caller attaches in between, so not a byte of
 * output is missed. Its shim stays our child: {@link #awaitExit} is the process's exit code
 * (128 + signal when a signal ended it).
 */
public final class ExecProcess implements AutoCloseable {
    private static final int SIGKILL = 9;

    private final ShimSession session;
    private final int pid;
    private final Path fifo;
    private final Path plan;
    private final Path sync;
    private boolean released;

    ExecProcess(ShimSession session, int pid, Path fifo, Path plan, Path sync) {
        this.session = session;
        this.pid = pid;
        this.fifo = fifo;
        this.plan = plan;
        this.sync = sync;
    }

    /** The process's pid on the host. */
    public int pid() {
        return pid;
    }

    /** Lets the process execve its program. */
    public synchronized void release() throws IOException {
        if (released) {
            return;
        }
        released = true;
        // The child holds the fifo open read-write, so this open does not block.
        try (OutputStream out = Files.newOutputStream(fifo)) {
            out.write(0);
        } finally {
            Files.deleteIfExists(fifo);
        }
    }

    /** Waits for the process (and its shim) to end: its exit code. */
    public int awaitExit() throws InterruptedException {
        return session.awaitExit();
    }

    /** Ends a process that was never released (its caller failed before the start). */
    private void abandon() throws InterruptedException {
        try {
            dev.berth.sys.Syscalls.linux().kill(pid, SIGKILL);
        } catch (RuntimeException ignored) {
            // already gone
        }
        session.awaitExit(5, TimeUnit.SECONDS);
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (!released) {
                abandon();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session.close();
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(plan);
            Files.deleteIfExists(sync);
        }
    }
}
