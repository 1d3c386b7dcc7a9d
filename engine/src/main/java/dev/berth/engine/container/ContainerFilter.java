package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * docker's container filters (`ps --filter`, `container prune --filter`): values of one key are
 * alternatives, different keys must all match. An unknown key is docker's 400.
 */
final class ContainerFilter implements Predicate<ContainerRecord> {
    static final List<String> PS_KEYS = List.of("id", "name", "label", "status", "ancestor", "exited", "before",
            "since", "health", "network", "volume", "publish", "expose", "isolation");

    private final Predicate<ContainerRecord> test;

    private ContainerFilter(Predicate<ContainerRecord> test) {
        this.test = test;
    }

    /** {@code find} resolves the id or name that before/since refer to. */
    static ContainerFilter of(Map<String, List<String>> filters, Function<String, ContainerRecord> find, List<String> allowed) {
        Predicate<ContainerRecord> all = r -> true;
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            if (!allowed.contains(f.getKey())) {
                throw new EngineException(400, "invalid filter '" + f.getKey() + "'");
            }
            List<String> values = f.getValue();
            Predicate<ContainerRecord> one = switch (f.getKey()) {
                case "id" -> r -> values.stream().anyMatch(v -> r.id().startsWith(v));
                case "name" -> r -> values.stream().anyMatch(v -> r.name().contains(v.startsWith("/") ? v.substring(1) : v));
                case "label" -> r -> values.stream().allMatch(v -> hasLabel(r, v));
                case "label!" -> r -> values.stream().noneMatch(v -> hasLabel(r, v));
                case "status" -> {
                    for (String v : values) {
                        if (!List.of("created", "restarting", "running", "removing", "paused", "exited", "dead").contains(v)) {
                            throw new EngineException(400, "invalid filter 'status=" + v + "'");
                        }
                    }
                    yield r -> values.contains(r.status());
                }
                case "ancestor" -> r -> values.stream().anyMatch(v -> ancestor(r, v));
                case "exited" -> r -> r.status().equals("exited") && values.contains(String.valueOf(r.exitCode()));
                case "before" -> r -> values.stream().allMatch(v -> r.created().compareTo(reference(find, v).created()) < 0);
                case "since" -> r -> values.stream().allMatch(v -> r.created().compareTo(reference(find, v).created()) > 0);
                case "health" -> r -> values.contains(r.health() == null ? "none" : r.health().status());
                case "until" -> r -> values.stream().allMatch(v -> Instant.parse(r.created()).isBefore(Timestamps.parse(v)));
                // Networks, volumes and ports are not containers' properties yet: nothing matches.
                default -> r -> false;
            };
            all = all.and(one);
        }
        return new ContainerFilter(all);
    }

    @Override
    public boolean test(ContainerRecord r) {
        return test.test(r);
    }

    private static boolean hasLabel(ContainerRecord r, String v) {
        Map<String, String> labels = r.config() == null || r.config().labels() == null ? Map.of() : r.config().labels();
        int eq = v.indexOf('=');
        return eq < 0 ? labels.containsKey(v) : v.substring(eq + 1).equals(labels.get(v.substring(0, eq)));
    }

    private static boolean ancestor(ContainerRecord r, String v) {
        String ref = r.imageRef();
        String image = r.imageId();
        return v.equals(ref) || (v + ":latest").equals(ref) || v.equals(ref + ":latest")
                || image.equals(v) || image.startsWith("sha256:" + v) || image.equals("sha256:" + v);
    }

    private static ContainerRecord reference(Function<String, ContainerRecord> find, String idOrName) {
        ContainerRecord r = find.apply(idOrName);
        if (r == null) {
            throw new EngineException(404, "No such container: " + idOrName);
        }
        return r;
    }
}
