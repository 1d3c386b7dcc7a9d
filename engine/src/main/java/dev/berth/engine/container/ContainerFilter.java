package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.volume.MountPoint;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * docker's container filters (`ps --filter`, `container prune --filter`): values of one key are
 * alternatives, different keys must all match. An unknown key is docker's 400. What a container's
 * record does not hold (its networks, mounts and ports) comes from {@link Facts}, asked only when a
 * key needs it; the rules follow moby's daemon/list.go.
 */
final class ContainerFilter implements Predicate<ContainerRecord> {
    static final List<String> PS_KEYS = List.of("id", "name", "label", "status", "ancestor", "exited", "before",
            "since", "health", "network", "volume", "publish", "expose", "isolation", "is-task");

    /** What the filters read of a container beyond its record: the shapes inspect and the list show. */
    interface Facts {
        /** NetworkSettings.Networks: the networks of its plan, name to id ("" when gone). */
        Map<String, String> networks(ContainerRecord r);

        /** Its Mounts. */
        List<MountPoint> mounts(ContainerRecord r);

        /** The list's Ports: published mappings (with their host ports) and exposed ports. */
        List<Port> ports(ContainerRecord r);
    }

    /** One of the list's Ports; {@code publicPort} is 0 for a port only exposed. */
    record Port(int privatePort, int publicPort, String type) {}

    /** For filters that need no facts (prune's until and label). */
    static final Facts NO_FACTS = new Facts() {
        @Override
        public Map<String, String> networks(ContainerRecord r) {
            return Map.of();
        }

        @Override
        public List<MountPoint> mounts(ContainerRecord r) {
            return List.of();
        }

        @Override
        public List<Port> ports(ContainerRecord r) {
            return List.of();
        }
    };

    private final Predicate<ContainerRecord> test;

    private ContainerFilter(Predicate<ContainerRecord> test) {
        this.test = test;
    }

    static ContainerFilter of(Map<String, List<String>> filters, Function<String, ContainerRecord> find, List<String> allowed) {
        return of(filters, find, allowed, NO_FACTS);
    }

    /** {@code find} resolves the id or name that before/since refer to. */
    static ContainerFilter of(Map<String, List<String>> filters, Function<String, ContainerRecord> find, List<String> allowed,
                              Facts facts) {
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
                case "network" -> r -> values.stream().anyMatch(v -> onNetwork(facts.networks(r), v));
                case "volume" -> r -> values.stream().anyMatch(v -> mounts(facts.mounts(r), v));
                case "publish" -> {
                    Set<String> ports = ports("publish", values);
                    yield r -> facts.ports(r).stream().anyMatch(p -> ports.contains(p.publicPort() + "/" + p.type()));
                }
                case "expose" -> {
                    Set<String> ports = ports("expose", values);
                    yield r -> facts.ports(r).stream().anyMatch(p -> ports.contains(p.privatePort() + "/" + p.type()));
                }
                // Isolation is a Windows notion: on Linux dockerd lets every container through.
                case "isolation" -> r -> true;
                // No container here belongs to a swarm task.
                case "is-task" -> {
                    if (values.size() != 1 || !List.of("true", "false").contains(values.getFirst())) {
                        throw new EngineException(400, "invalid filter 'is-task=" + String.join(",", values) + "'");
                    }
                    boolean task = values.getFirst().equals("true");
                    yield r -> !task;
                }
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

    /** A network's name, or a prefix of its id (moby matches both). */
    static boolean onNetwork(Map<String, String> networks, String v) {
        return networks.containsKey(v) || networks.values().stream().anyMatch(id -> !id.isEmpty() && id.startsWith(v));
    }

    /** A volume's name (a bind's source, having none) or a mount's destination. */
    static boolean mounts(List<MountPoint> mounts, String v) {
        return mounts.stream().anyMatch(m -> v.equals(m.destination())
                || v.equals(m.name() != null && !m.name().isEmpty() ? m.name() : m.source()));
    }

    /**
     * A publish or expose filter's values as "port/proto" keys: {@code 80}, {@code 80/udp} or a
     * range {@code 8000-8080[/proto]}, tcp when no protocol is given; a host address is refused.
     */
    static Set<String> ports(String key, List<String> values) {
        Set<String> keys = new HashSet<>();
        for (String value : values) {
            if (value.contains(":")) {
                throw new EngineException(400, "filter for '" + key + "' should not contain ':': " + value);
            }
            int slash = value.indexOf('/');
            String port = slash < 0 ? value : value.substring(0, slash);
            String proto = slash < 0 || slash == value.length() - 1 ? "tcp" : value.substring(slash + 1);
            if (port.isEmpty()) {
                throw new EngineException(400, "error while looking up for " + key + " " + value + ": empty string specified for ports");
            }
            int dash = port.indexOf('-');
            int start = portNumber(key, value, dash < 0 ? port : port.substring(0, dash));
            int end = dash < 0 ? start : portNumber(key, value, port.substring(dash + 1));
            if (end < start) {
                throw new EngineException(400, "error while looking up for " + key + " " + value
                        + ": invalid range specified for port: " + port);
            }
            for (int p = start; p <= end; p++) {
                keys.add(p + "/" + proto);
            }
        }
        return keys;
    }

    /** A port number as Go's strconv.ParseUint(s, 10, 16) takes it, with its words when it does not (as dockerd answers). */
    private static int portNumber(String key, String value, String s) {
        String why = !s.matches("\\d{1,9}") ? (s.matches("\\d+") ? "value out of range" : "invalid syntax")
                : Integer.parseInt(s) > 65535 ? "value out of range" : null;
        if (why != null) {
            throw new EngineException(400, "error while looking up for " + key + " " + value
                    + ": strconv.ParseUint: parsing \"" + s + "\": " + why);
        }
        return Integer.parseInt(s);
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
