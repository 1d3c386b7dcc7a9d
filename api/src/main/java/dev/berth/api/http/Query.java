package dev.berth.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded query string. Keys may repeat ({@code ?filter=a&filter=b}); values keep their order.
 * The typed getters follow dockerd's httputils so that clients see the same acceptance:
 * booleans as in {@code BoolValue}, integers as in {@code Int64ValueOrDefault}, and JSON-valued
 * parameters ({@code filters}, {@code buildargs}, {@code labels}) parsed with Jackson. A value
 * that does not parse is a 400, never a silent default.
 */
public final class Query {
    private final Map<String, List<String>> values;
    private final ObjectMapper json;

    private Query(Map<String, List<String>> values, ObjectMapper json) {
        this.values = values;
        this.json = json;
    }

    /** Parses {@code raw} (without the '?'); null or empty gives an empty query. */
    static Query parse(String raw, ObjectMapper json) throws MalformedRequestException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = PercentDecoder.queryComponent(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : PercentDecoder.queryComponent(pair.substring(eq + 1));
                values.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
            }
        }
        return new Query(values, json);
    }

    /** Parses a query string with the given mapper for {@link #json}; for tests and clients. */
    public static Query of(String raw, ObjectMapper json) {
        try {
            return parse(raw, json);
        } catch (MalformedRequestException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        List<String> all = values.get(name);
        return all == null ? null : all.getFirst();
    }

    public Optional<String> first(String name) {
        return Optional.ofNullable(get(name));
    }

    /** The first value, or {@code fallback} when absent or empty. */
    public String getOr(String name, String fallback) {
        String v = get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /** Every value of {@code name}, in the order sent; empty if absent. */
    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public Map<String, List<String>> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /**
     * dockerd's {@code BoolValue}: absent, empty, "0", "no", "false" and "none" are false (in any
     * case, after trimming); anything else is true, so {@code ?all=1} and {@code ?all=True} both
     * mean yes.
     */
    public boolean bool(String name) {
        String v = get(name);
        if (v == null) {
            return false;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "", "0", "no", "false", "none" -> false;
            default -> true;
        };
    }

    /** dockerd's {@code BoolValueOrDefault}: {@code fallback} when absent or empty, else {@link #bool}. */
    public boolean bool(String name, boolean fallback) {
        String v = get(name);
        return v == null || v.isEmpty() ? fallback : bool(name);
    }

    /** A decimal integer, {@code fallback} when absent or empty; 400 when it is not a number. */
    public long integer(String name, long fallback) {
        String v = get(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw HttpException.badRequest("invalid value for " + name + ": " + v + ": not an integer");
        }
    }

    /**
     * A JSON-valued parameter as a tree, or empty when absent or empty. Docker's {@code filters}
     * comes as {@code {"label":{"a=b":true}}} from current clients and {@code {"label":["a=b"]}}
     * from old ones; telling them apart is the caller's job, getting valid JSON is this one's.
     */
    public Optional<JsonNode> json(String name) {
        String v = get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readTree(v));
        } catch (JsonProcessingException e) {
            throw HttpException.badRequest("invalid JSON in query parameter " + name + ": " + e.getOriginalMessage());
        }
    }

    /** A JSON-valued parameter bound to {@code type}, or empty when absent or empty. */
    public <T> Optional<T> json(String name, Class<T> type) {
        String v = get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(json.readValue(v, type));
        } catch (JsonProcessingException e) {
            throw HttpException.badRequest("invalid JSON in query parameter " + name + ": " + e.getOriginalMessage());
        }
    }

    /**
     * docker's {@code filters} parameter as key to values, from either shape: {@code
     * {"label":{"a=b":true}}} (current clients) or {@code {"label":["a=b"]}} (old ones).
     */
    public Map<String, List<String>> filters() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        json("filters").ifPresent(tree -> {
            if (!tree.isObject()) {
                throw HttpException.badRequest("invalid filters: " + tree);
            }
            tree.fields().forEachRemaining(f -> {
                List<String> values = new ArrayList<>();
                if (f.getValue().isArray()) {
                    f.getValue().forEach(v -> values.add(v.asText()));
                } else if (f.getValue().isObject()) {
                    f.getValue().fields().forEachRemaining(v -> {
                        if (v.getValue().asBoolean()) {
                            values.add(v.getKey());
                        }
                    });
                } else {
                    throw HttpException.badRequest("invalid filter value for " + f.getKey() + ": " + f.getValue());
                }
                out.put(f.getKey(), List.copyOf(values));
            });
        });
        return out;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
