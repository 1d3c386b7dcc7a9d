package dev.berth.engine.volume;

import dev.berth.engine.EngineException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filters of GET /volumes and POST /volumes/prune, already decoded from the query's JSON
 * (docker's {"name":["x"]} or the older {"name":{"x":true}}): each key's values are ORed, keys are ANDed.
 */
public record VolumeFilters(Map<String, List<String>> values) {
    private static final Set<String> LIST_KEYS = Set.of("dangling", "name", "label", "driver");
    private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "all");

    public static VolumeFilters none() {
        return new VolumeFilters(Map.of());
    }

    void check(boolean prune) {
        for (String key : values.keySet()) {
            if (!(prune ? PRUNE_KEYS : LIST_KEYS).contains(key)) {
                throw new EngineException(400, "invalid filter '" + key + "'");
            }
        }
    }

    List<String> get(String key) {
        return values.getOrDefault(key, List.of());
    }

    /** A boolean filter's value: absent is null; "true"/"1" and "false"/"0" as docker reads them. */
    Boolean bool(String key) {
        List<String> v = get(key);
        if (v.isEmpty()) {
            return null;
        }
        return switch (v.getFirst().toLowerCase()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new EngineException(400, "invalid filter '" + key + "=" + v.getFirst() + "'");
        };
    }

    /** label=key or label=key=value against a volume's labels. */
    static boolean labelMatches(String filter, Map<String, String> labels) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }
}
