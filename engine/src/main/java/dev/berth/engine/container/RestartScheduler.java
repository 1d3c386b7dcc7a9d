package dev.berth.engine.container;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docker's restart manager: whether an exit starts the container again (its {@link
 * RestartPolicy}, unless a stop or removal through the API cancelled the restart for this exit),
 * and when: after a delay that doubles while the container keeps failing fast. The wait runs on
 * a virtual thread of its own, with the container "restarting" meanwhile; a stop or removal in
 * that time ends it.
 */
final class RestartScheduler {
    private final ContainerStore store;
    private final ContainerLauncher launcher;
    private final ContainerEvents events;
    /** Containers being stopped through the API: their exit cancels the restart policy once. */
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    /** The last restart delay of each container that restarts (docker's back-off). */
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();

    RestartScheduler(ContainerStore store, ContainerLauncher launcher, ContainerEvents events) {
        this.store = store;
        this.launcher = launcher;
        this.events = events;
    }

    /** The container is being stopped or removed through the API: its next exit starts nothing. */
    void cancelNext(String id) {
        stopping.add(id);
    }

    /** Whether the exit that ended {@code current} with {@code code} starts it again; consumes a cancel. */
    boolean restarts(ContainerRecord current, int code) {
        boolean canceled = stopping.remove(current.id());
        return !canceled && !current.autoRemove()
                && RestartPolicy.of(current.hostConfig()).restarts(code, current.restartCount(), current.manuallyStopped());
    }

    /** Starts the exited container again after the back-off. */
    void schedule(ContainerRecord exited) {
        Duration ran = exited.startedAt() == null ? Duration.ZERO
                : Duration.between(Instant.parse(exited.startedAt()), Instant.parse(exited.finishedAt()));
        Duration delay = RestartPolicy.nextDelay(delays.get(exited.id()), ran);
        delays.put(exited.id(), delay);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(delay);
                synchronized (store.lock(exited.id())) {
                    ContainerRecord now = store.get(exited.id());
                    if (now == null || !now.status().equals("restarting")) {
                        return; // stopped or removed meanwhile
                    }
                    launcher.launch(now.withRestartCount(now.restartCount() + 1));
                    events.publish("restart", now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                System.err.println("level=warning msg=\"restarting " + exited.id() + ": " + e.getMessage() + "\"");
            }
        });
    }

    /** The container is removed: its back-off is not kept. */
    void forget(String id) {
        delays.remove(id);
    }
}
