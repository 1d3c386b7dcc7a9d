package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.ContainerException;
import dev.berth.sys.Errno;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ending a container's process by signal: docker stop (its stop signal, then SIGKILL to every
 * process once the timeout runs out), docker kill, rm -f's SIGKILL, and the daemon's shutdown
 * without live-restore. A stop or a removal cancels the restart policy for the exit it causes
 * and counts as a manual stop; a kill only counts as a manual stop, so "always" and
 * "on-failure" still apply (docker's). The exit itself is recorded by {@link ContainerExits}.
 */
final class ContainerStopper {
    private static final int SIGKILL = 9;
    /** How long rm -f, and a shutdown after its SIGKILL, wait for the exit. */
    private static final Duration AFTER_SIGKILL = Duration.ofSeconds(10);

    private final ContainerStore store;
    private final BerthRuntime runtime;
    private final ContainerExits exits;
    private final RestartScheduler restarts;
    private final ContainerEvents events;

    ContainerStopper(ContainerStore store, BerthRuntime runtime, ContainerExits exits, RestartScheduler restarts,
                     ContainerEvents events) {
        this.store = store;
        this.runtime = runtime;
        this.exits = exits;
        this.restarts = restarts;
        this.events = events;
    }

    /** docker kill. */
    void kill(String id, int signal) throws IOException {
        ContainerRecord r;
        synchronized (store.lock(id)) {
            r = store.current(id);
            if (!r.isUp()) {
                throw new EngineException(409, "Container " + r.id() + " is not running");
            }
            // docker: a killed container counts as manually stopped ("unless-stopped" leaves it
            // down), but unlike a stop the kill does not cancel "always" or "on-failure".
            store.save(r.withManuallyStopped(true));
        }
        if (!signal(r.id(), signal, false)) {
            throw new EngineException(409, "Container " + r.id() + " is not running");
        }
        events.publish("kill", r, Map.of("signal", String.valueOf(signal)));
    }

    /** docker stop: the stop signal, then SIGKILL after the timeout (the container's StopTimeout, 10 s unless set). */
    void stop(String id, Integer timeoutSeconds) throws IOException, InterruptedException {
        ContainerRecord r;
        synchronized (store.lock(id)) {
            r = store.current(id);
            if (r.status().equals("restarting")) {
                store.save(r.withManuallyStopped(true).withStatus("exited"));
                store.wake(r.id());
                events.publish("stop", r);
                return;
            }
            if (!r.isUp()) {
                return;
            }
            store.save(r.withManuallyStopped(true));
            restarts.cancelNext(r.id());
        }
        int timeout = timeoutSeconds != null ? timeoutSeconds : stopTimeout(r);
        end(r, timeout < 0 ? ContainerExits.FOREVER : Duration.ofSeconds(timeout), ContainerExits.FOREVER, true);
        events.publish("stop", r);
    }

    /** rm -f of a running container, with its monitor held: SIGKILL to every process, and a bounded wait. */
    void killForRemoval(ContainerRecord r) throws IOException, InterruptedException {
        store.save(r.withManuallyStopped(true));
        restarts.cancelNext(r.id());
        signal(r.id(), SIGKILL, true);
        exits.awaitExit(r.id(), AFTER_SIGKILL);
    }

    /** Stops these containers at once (daemon shutdown without live-restore). */
    void stopAllForShutdown(List<ContainerRecord> running) {
        List<Thread> stoppers = new ArrayList<>();
        for (ContainerRecord r : running) {
            stoppers.add(Thread.ofVirtual().start(() -> {
                try {
                    stopForShutdown(r.id());
                } catch (IOException | RuntimeException e) {
                    System.err.println("level=warning msg=\"stopping " + r.id() + " at shutdown: " + e.getMessage() + "\"");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Like stop, but not a manual stop: restart policies apply at the next daemon start. */
    private void stopForShutdown(String id) throws IOException, InterruptedException {
        ContainerRecord r = store.get(id);
        if (r == null || !r.isUp()) {
            return;
        }
        restarts.cancelNext(id);
        end(r, Duration.ofSeconds(Math.max(0, stopTimeout(r))), AFTER_SIGKILL, false);
    }

    private static int stopTimeout(ContainerRecord r) {
        return r.config() != null && r.config().stopTimeout() != null ? r.config().stopTimeout() : 10;
    }

    /**
     * The stop signal; if the container is still up after {@code grace}, SIGKILL to every
     * process and a wait of at most {@code afterKill}. {@code announce}: the signals are
     * published as docker's "kill" events.
     */
    private void end(ContainerRecord r, Duration grace, Duration afterKill, boolean announce)
            throws IOException, InterruptedException {
        int signal = StopSignal.of(r.config());
        if (r.status().equals("paused")) {
            runtime.resume(r.id()); // a frozen process cannot act on the signal
        }
        signal(r.id(), signal, false); // false: it exited on its own meanwhile; the wait below sees that
        if (announce) {
            events.publish("kill", r, Map.of("signal", String.valueOf(signal)));
        }
        if (!exits.awaitExit(r.id(), grace)) {
            signal(r.id(), SIGKILL, true);
            if (announce) {
                events.publish("kill", r, Map.of("signal", String.valueOf(SIGKILL)));
            }
            exits.awaitExit(r.id(), afterKill);
        }
    }

    /**
     * Sends {@code signal} to the container's init (or every process of it); false when the runtime
     * finds it already stopped: it exited after our record last said it was up, and its exit is
     * about to be recorded. Callers that end a container (stop, rm -f) go on to wait for that.
     */
    private boolean signal(String id, int signal, boolean all) throws IOException {
        try {
            runtime.kill(id, signal, all);
            return true;
        } catch (ContainerException alreadyStopped) {
            return false;
        } catch (SyscallException e) {
            if (e.errno().number() == Errno.ESRCH) {
                return false; // gone between the runtime's look at it and the signal
            }
            throw e;
        }
    }
}
