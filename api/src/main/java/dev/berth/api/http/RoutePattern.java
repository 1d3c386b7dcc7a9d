package dev.berth.api.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path pattern: literal segments, {@code {name}} for one non-empty segment, and at most one
 * greedy {@code {name...}} for one or more segments. The greedy form is for image and plugin
 * names, which contain slashes: dockerd routes {@code /images/{name:.*}/json}, so
 * {@code /images/localhost:5000/a/b:tag/json} names {@code localhost:5000/a/b:tag}. Literal
 * segments after the greedy one (the fixed suffix) are matched from the end, which is what a
 * greedy {@code .*} followed by {@code /json} does in a regular expression.
 */
final class RoutePattern {
    private sealed interface Segment permits Literal, Var, Greedy {}

    private record Literal(String text) implements Segment {}

    private record Var(String name) implements Segment {}

    private record Greedy(String name) implements Segment {}

    private final String source;
    private final List<Segment> prefix; // before the greedy segment (all of them if there is none)
    private final Greedy greedy;
    private final List<Segment> suffix; // after it

    private RoutePattern(String source, List<Segment> prefix, Greedy greedy, List<Segment> suffix) {
        this.source = source;
        this.prefix = prefix;
        this.greedy = greedy;
        this.suffix = suffix;
    }

    static RoutePattern parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        }
        List<Segment> prefix = new ArrayList<>();
        List<Segment> suffix = new ArrayList<>();
        Greedy greedy = null;
        List<String> names = new ArrayList<>();
        for (String part : pattern.substring(1).split("/", -1)) {
            Segment s;
            if (part.startsWith("{") && part.endsWith("}")) {
                String inner = part.substring(1, part.length() - 1);
                boolean isGreedy = inner.endsWith("...");
                String name = isGreedy ? inner.substring(0, inner.length() - 3) : inner;
                if (name.isEmpty() || names.contains(name)) {
                    throw new IllegalArgumentException("bad or repeated parameter in " + pattern);
                }
                names.add(name);
                if (isGreedy) {
                    if (greedy != null) {
                        throw new IllegalArgumentException("more than one greedy segment in " + pattern);
                    }
                    greedy = new Greedy(name);
                    continue;
                }
                s = new Var(name);
            } else if (part.contains("{") || part.contains("}")) {
                throw new IllegalArgumentException("a parameter must be a whole segment: " + pattern);
            } else {
                s = new Literal(part);
            }
            (greedy == null ? prefix : suffix).add(s);
        }
        return new RoutePattern(pattern, List.copyOf(prefix), greedy, List.copyOf(suffix));
    }

    /** True when the pattern has no parameters, so it can be looked up by exact path. */
    boolean isLiteral() {
        return greedy == null && prefix.stream().allMatch(s -> s instanceof Literal);
    }

    String source() {
        return source;
    }

    /** The parameters if {@code path} (decoded, starting with '/') matches; null otherwise. */
    Map<String, String> match(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] parts = path.substring(1).split("/", -1);
        int fixed = prefix.size() + suffix.size();
        if (greedy == null ? parts.length != fixed : parts.length <= fixed) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < prefix.size(); i++) {
            if (!matchOne(prefix.get(i), parts[i], params)) {
                return null;
            }
        }
        if (greedy == null) {
            return params;
        }
        int tail = parts.length - suffix.size();
        for (int i = 0; i < suffix.size(); i++) {
            if (!matchOne(suffix.get(i), parts[tail + i], params)) {
                return null;
            }
        }
        String name = String.join("/", java.util.Arrays.asList(parts).subList(prefix.size(), tail));
        if (name.isEmpty()) {
            return null;
        }
        params.put(greedy.name(), name);
        return params;
    }

    private static boolean matchOne(Segment s, String part, Map<String, String> params) {
        return switch (s) {
            case Literal l -> l.text().equals(part);
            case Var v -> {
                if (part.isEmpty()) {
                    yield false; // gorilla/mux's default {id} is [^/]+: never empty
                }
                params.put(v.name(), part);
                yield true;
            }
            case Greedy g -> throw new IllegalStateException("greedy segment out of place");
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
