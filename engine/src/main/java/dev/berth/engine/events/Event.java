package dev.berth.engine.events;

import java.util.Map;

/**
 * One thing that happened, as /events reports it: what kind of object (container, image,
 * volume, network, daemon), what happened to it ("start", "die", "health_status: healthy"...),
 * which one, and its attributes (name, image, exitCode, labels...).
 */
public record Event(String type, String action, String actorId, Map<String, String> attributes, long timeNano) {
    public Event {
        attributes = Map.copyOf(attributes);
    }
}
