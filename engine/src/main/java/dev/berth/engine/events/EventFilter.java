package dev.berth.engine.events;

import dev.berth.engine.EngineException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * docker's /events filters: type, event (the action, "health_status" matching every health
 * status), container / image / volume / network (id or name), label (key or key=value). Values
 * of one key are alternatives; different keys must all match.
 */
public final class EventFilter {
    private static final Set<String> KEYS = Set.of("type", "event", "container", "image", "volume", "network", "label", "daemon", "scope");

    private EventFilter() {}

    public static Predicate<Event> of(Map<String, List<String>> filters) {
        Predicate<Event> all = e -> true;
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (!KEYS.contains(f.getKey())) {
                throw new EngineException(400, "invalid filter '" + f.getKey() + "'");
            }
            List<String> values = f.getValue();
            Predicate<Event> one = switch (f.getKey()) {
                case "type" -> e -> values.contains(e.type());
                case "event" -> e -> values.stream().anyMatch(v -> e.action().equals(v) || e.action().startsWith(v + ":"));
                case "container", "volume", "network" -> e -> e.type().equals(f.getKey()) && values.stream().anyMatch(v -> names(e, v));
                // An image filter also matches the events of containers made from that image.
                case "image" -> e -> values.stream().anyMatch(v -> (e.type().equals("image") && names(e, v))
                        || v.equals(e.attributes().get("image")));
                case "label" -> e -> values.stream().anyMatch(v -> label(e, v));
                default -> e -> true;
            };
            all = all.and(one);
        }
        return all;
    }

    private static boolean names(Event e, String value) {
        return e.actorId().equals(value) || e.actorId().startsWith(value) || value.equals(e.attributes().get("name"));
    }

    private static boolean label(Event e, String value) {
        int eq = value.indexOf('=');
        return eq < 0 ? e.attributes().containsKey(value) : value.substring(eq + 1).equals(e.attributes().get(value.substring(0, eq)));
    }
}
