package dev.berth.engine.container;

import dev.berth.cgroups.CgroupManager;
import dev.berth.engine.EngineException;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.Container;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.Status;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A container's exit, and those who wait for it. The runtime reports a shim's exit (onExit), but
 * any look at a container that was up (inspect, ps, a waiter) may be the first to find it gone;
 * whoever comes first records the exit, once, under the container's monitor: the exit code (the
 * shim's record) and an OOM kill (the cgroup's count), its networks released, "oom" and "die"
 * published, the waiters woken. Then the restart policy starts it again or --rm removes it,
 * as moby's monitor.go does on a task's exit.
 */
final class ContainerExits {
    /** Longer than anything waits; short enough that nanoTime arithmetic cannot overflow. */
    static final Duration FOREVER = Duration.ofDays(36_500);
    private static final List<String> CONDITIONS = List.of("not-running", "next-exit", "removed");

    private final ContainerStore store;
    private final BerthRuntime runtime;
    private final ContainerNetworking networking;
    private final ContainerEvents events;
    // What follows an exit. Set once by Containers after construction: both wait on exits themselves.
    private RestartScheduler restarts;
    private ContainerRemoval removal;

    ContainerExits(ContainerStore store, BerthRuntime runtime, ContainerNetworking networking, ContainerEvents events) {
        this.store = store;
        this.runtime = runtime;
        this.networking = networking;
        this.events = events;
    }

    /** Wires what follows an exit: a restart by policy, or --rm. Called once, before any container runs. */
    void then(RestartScheduler restarts, ContainerRemoval removal) {
        this.restarts = restarts;
        this.removal = removal;
    }

    /** The runtime's onExit callback: the shim of a container exited. */
    void exited(String id) {
        ContainerRecord r = store.get(id);
        if (r != null) {
            try {
                refresh(r);
            } catch (RuntimeException e) {
                System.err.println("level=warning msg=\"recording the exit of " + id + ": " + e.getMessage() + "\"");
            }
        }
    }

    /** Re-reads a running container's state from the runtime; an exit is recorded once. */
    ContainerRecord refresh(ContainerRecord r) {
        if (!r.isUp()) {
            return r;
        }
        synchronized (store.lock(r.id())) {
            // Another thread may have recorded the exit (or removed the container) while we waited.
            ContainerRecord current = store.get(r.id());
            if (current == null || !current.isUp()) {
                return current == null ? r : current;
            }
            try {
                Container c = runtime.load(r.id());
                Status s = c.status();
                if (s == Status.RUNNING || s == Status.PAUSED) {
                    String status = s == Status.PAUSED ? "paused" : "running";
                    return status.equals(current.status()) ? current : store.save(current.withStatus(status));
                }
                int code = exitCode(c);
                boolean oom = oomKilled(c);
                runtime.delete(r.id(), true);
                return recordExit(current, code < 0 ? 255 : code, oom);
            } catch (ContainerException e) {
                return recordExit(current, 255, false);
            } catch (IOException | InterruptedException e) {
                throw new EngineException(500, "reading the state of " + r.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Called with the container's lock held, once per exit. */
    private ContainerRecord recordExit(ContainerRecord current, int code, boolean oom) {
        // Its netns is gone with its process: release its leases, port rules and veths' records.
        networking.publish(events.log(), "disconnect", current.id(), networking.disconnectAll(current.id()));
        boolean again = restarts.restarts(current, code);
        ContainerRecord exited = store.save(new ContainerRecord(current.id(), current.name(), current.created(),
                current.imageId(), current.imageRef(), current.config(), current.hostConfig(), current.args(),
                again ? "restarting" : "exited", code, oom, current.startedAt(), Instant.now().toString(),
                current.restartCount(), current.manuallyStopped(), 0,
                current.health() == null ? null : new HealthState("unhealthy", current.health().failingStreak(), current.health().log())));
        if (oom) {
            events.publish("oom", exited);
        }
        ended(exited, code);
        if (again) {
            restarts.schedule(exited);
        }
        return exited;
    }

    /**
     * A launch that failed ends like an exit, so that waiters return and --rm applies; no restart
     * policy brings it back (docker's).
     */
    void launchFailed(ContainerRecord r, int code) {
        ended(store.save(r.withStatus("exited", code, false, r.startedAt(), Instant.now().toString())), code);
    }

    /** "die", the waiters woken, and --rm for a container that is down for good. */
    private void ended(ContainerRecord r, int code) {
        events.publish("die", r, Map.of("exitCode", String.valueOf(code)));
        store.wake(r.id());
        if (!r.status().equals("restarting") && r.autoRemove()) {
            removal.removeLater(r.id());
        }
    }

    /** The process is gone; its shim writes the exit record a moment later. Wait for it (bounded). */
    private static int exitCode(Container c) throws InterruptedException {
        for (int i = 0; i < 100 && c.exitCode() < 0; i++) {
            Thread.sleep(10);
        }
        return c.exitCode();
    }

    private static boolean oomKilled(Container c) {
        try {
            CgroupManager cg = c.cgroup();
            return cg.oomKillCount() > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** docker wait's condition, checked before the container is looked up: "not-running" when none is given. */
    static String condition(String given) {
        String cond = given == null || given.isEmpty() ? "not-running" : given;
        if (!CONDITIONS.contains(cond)) {
            throw new EngineException(400, "invalid condition: \"" + given + "\"");
        }
        return cond;
    }

    /**
     * docker wait: blocks until the condition holds, "not-running", "next-exit" (an exit after
     * this call) or "removed"; returns the last exit code.
     */
    int waitFor(ContainerRecord r, String condition) throws InterruptedException {
        String finishedBefore = r.finishedAt();
        Predicate<ContainerRecord> done = switch (condition) {
            case "not-running" -> c -> !c.isUp();
            case "next-exit" -> c -> !c.isUp() && !c.status().equals("created") && !Objects.equals(c.finishedAt(), finishedBefore);
            default -> c -> false;
        };
        ContainerRecord last = await(r.id(), done, FOREVER);
        return last == null ? store.removedExitCode(r.id(), r.exitCode()) : last.exitCode();
    }

    /** Waits until the container is no longer up (or is removed); false on timeout. */
    boolean awaitExit(String id, Duration timeout) throws InterruptedException {
        ContainerRecord last = await(id, c -> !c.isUp(), timeout);
        return last == null || !last.isUp();
    }

    /**
     * Waits on the container's monitor until {@code done} holds for its record, re-read each
     * time, or the timeout passes; returns that record, or null once the container is removed.
     * Exits and removals wake the waiters; the wait of at most a second is only a safety net.
     */
    private ContainerRecord await(String id, Predicate<ContainerRecord> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object lock = store.lock(id);
        synchronized (lock) {
            for (;;) {
                ContainerRecord now = store.get(id);
                if (now == null) {
                    return null;
                }
                now = refresh(now);
                long left = deadline - System.nanoTime();
                if (done.test(now) || left <= 0) {
                    return now;
                }
                lock.wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
            }
        }
    }
}
