package dev.berth.engine.events;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The engine's event log: published as things happen, kept in memory for replay (the last
 * {@value #KEPT}, as dockerd keeps a bounded ring), and fanned out to subscribers.
 */
public final class Events {
    static final int KEPT = 1024;

    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();

    public void publish(String type, String action, String actorId, Map<String, String> attributes) {
        Instant now = Instant.now();
        Event e = new Event(type, action, actorId, attributes, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(e);
            // Under the same lock as subscribe's replay: no subscriber sees an event twice or never.
            for (Subscription s : subscribers) {
                s.offer(e);
            }
        }
    }

    /**
     * Events matching {@code filter}: those kept from {@code sinceNano} on (none if it is
     * negative), then live ones as they are published, until the subscription is closed.
     */
    public Subscription subscribe(long sinceNano, Predicate<Event> filter) {
        Subscription s = new Subscription(filter);
        synchronized (recent) {
            if (sinceNano >= 0) {
                recent.stream().filter(e -> e.timeNano() >= sinceNano).forEach(s::offer);
            }
            subscribers.add(s);
        }
        return s;
    }

    /** What a subscriber reads from; close it when the client goes away. */
    public final class Subscription implements AutoCloseable {
        private final Predicate<Event> filter;
        private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();

        private Subscription(Predicate<Event> filter) {
            this.filter = filter;
        }

        private void offer(Event e) {
            if (filter.test(e)) {
                queue.add(e);
            }
        }

        /** The next event, or null if none came within the timeout. */
        public Event next(long timeout, TimeUnit unit) throws InterruptedException {
            return queue.poll(timeout, unit);
        }

        @Override
        public void close() {
            subscribers.remove(this);
        }
    }
}
