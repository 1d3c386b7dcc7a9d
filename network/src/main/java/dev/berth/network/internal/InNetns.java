package dev.berth.network.internal;

import dev.berth.sys.Fd;
import dev.berth.sys.Namespaces;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a piece of code inside another network namespace. setns(2) moves only the calling thread,
 * so the work runs on a fresh platform thread of its own (never a virtual thread, whose carrier
 * other virtual threads share, and never a pooled one that would keep the namespace). The thread
 * goes back to the namespace it started in before it ends, so that nothing it leaves behind (a
 * thread-local, a JVM-internal socket) lives in the container's namespace by accident.
 *
 * <p>What the code creates there keeps its namespace after the thread leaves: a socket (netlink,
 * UDP) stays in the namespace it was created in, which is how the daemon serves a container's
 * netns from its own threads.
 */
public final class InNetns {
    private InNetns() {}

    public static <T> T call(Path netnsFile, Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("netns " + netnsFile).unstarted(() -> {
            try (Fd home = Namespaces.open(Path.of("/proc/thread-self/ns/net"));
                    Fd target = Namespaces.open(netnsFile)) {
                Namespaces.setns(target, Namespaces.CLONE_NEWNET);
                try {
                    result.set(work.get());
                } finally {
                    Namespaces.setns(home, Namespaces.CLONE_NEWNET);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in " + netnsFile, e);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
        return result.get();
    }
}
