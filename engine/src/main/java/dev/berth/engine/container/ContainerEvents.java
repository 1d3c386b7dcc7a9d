package dev.berth.engine.container;

import dev.berth.engine.events.Events;
import java.util.Map;

/**
 * A container's events on the engine's log, with the attributes docker puts on them (labels,
 * name, image): one place, so that every lifecycle job words them alike.
 */
final class ContainerEvents {
    private final Events log;

    ContainerEvents(Events log) {
        this.log = log;
    }

    void publish(String action, ContainerRecord r) {
        publish(action, r, Map.of());
    }

    void publish(String action, ContainerRecord r, Map<String, String> extra) {
        log.publish("container", action, r.id(), r.eventAttributes(extra));
    }

    /** The whole log, for the network events that go with a container's (connect, disconnect). */
    Events log() {
        return log;
    }
}
