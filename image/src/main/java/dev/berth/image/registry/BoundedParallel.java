package dev.berth.image.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs blocking I/O tasks on virtual threads, at most {@code limit} at a time, and fails with the
 * first task's error after cancelling the rest (so a dead registry does not leave downloads
 * running behind the error).
 */
final class BoundedParallel {
    @FunctionalInterface
    interface IoTask {
        void run() throws IOException;
    }

    private BoundedParallel() {}

    static void run(List<IoTask> tasks, int limit) throws IOException {
        if (tasks.isEmpty()) {
            return;
        }
        Semaphore permits = new Semaphore(limit);
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (IoTask t : tasks) {
                futures.add(exec.submit(() -> {
                    permits.acquire();
                    try {
                        t.run();
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            Throwable first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                        futures.forEach(other -> other.cancel(true));
                    }
                } catch (java.util.concurrent.CancellationException e) {
                    // cancelled after the first failure
                } catch (InterruptedException e) {
                    futures.forEach(other -> other.cancel(true));
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
            if (first instanceof IOException io) {
                throw io;
            }
            if (first instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (first instanceof RuntimeException r) {
                throw r;
            }
            if (first instanceof Error err) {
                throw err;
            }
            if (first != null) {
                throw new IOException(first);
            }
        }
    }
}
