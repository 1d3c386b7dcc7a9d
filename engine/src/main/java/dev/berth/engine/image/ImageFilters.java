package dev.berth.engine.image;

import dev.berth.engine.EngineException;
import dev.berth.image.Image;
import dev.berth.image.ImageStore;
import dev.berth.oci.image.ImageReference;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The {@code filters} of GET /images/json and POST /images/prune, as dockerd reads them
 * (daemon/images/images.go, image_prune.go): {@code dangling} (true/false), {@code label}
 * ({@code key} or {@code key=value}, all must match) and {@code label!} (none may), {@code
 * reference} (a glob over the familiar name, with or without the tag), {@code before} and
 * {@code since} (an image whose creation time bounds the list), {@code until} (prune: a duration
 * like 24h or a timestamp). An unknown filter is docker's 400 "invalid filter 'x'".
 */
public final class ImageFilters {
    private static final Set<String> LIST_KEYS = Set.of("dangling", "label", "label!", "reference", "before", "since");
    private static final Set<String> PRUNE_KEYS = Set.of("dangling", "label", "label!", "until");

    private final Map<String, List<String>> filters;

    private ImageFilters(Map<String, List<String>> filters, Set<String> allowed) {
        for (String key : filters.keySet()) {
            if (!allowed.contains(key)) {
                throw new EngineException(400, "invalid filter '" + key + "'");
            }
        }
        this.filters = Map.copyOf(filters);
    }

    public static ImageFilters forList(Map<String, List<String>> filters) {
        return new ImageFilters(filters, LIST_KEYS);
    }

    public static ImageFilters forPrune(Map<String, List<String>> filters) {
        return new ImageFilters(filters, PRUNE_KEYS);
    }

    /** The dangling filter's value, if given: true, false, or docker's 400 for anything else. */
    public Boolean dangling() {
        List<String> v = filters.get("dangling");
        if (v == null || v.isEmpty()) {
            return null;
        }
        boolean any = false;
        boolean value = false;
        for (String s : v) {
            boolean b = switch (s.toLowerCase()) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw new EngineException(400, "invalid filter 'dangling=" + s + "'");
            };
            if (any && b != value) {
                throw new EngineException(400, "invalid filter 'dangling': conflicting values");
            }
            any = true;
            value = b;
        }
        return value;
    }

    /** The test the image must pass (every filter given). */
    public Predicate<Image> predicate(ImageStore store) {
        Predicate<Image> p = i -> true;
        Boolean dangling = dangling();
        if (dangling != null) {
            p = p.and(i -> i.dangling() == dangling);
        }
        for (String label : filters.getOrDefault("label", List.of())) {
            p = p.and(i -> hasLabel(i, label));
        }
        for (String label : filters.getOrDefault("label!", List.of())) {
            p = p.and(i -> !hasLabel(i, label));
        }
        List<String> references = filters.getOrDefault("reference", List.of());
        if (!references.isEmpty()) {
            p = p.and(i -> references.stream().anyMatch(pattern -> matchesReference(i, pattern)));
        }
        for (String before : filters.getOrDefault("before", List.of())) {
            Instant bound = created(resolve(store, before));
            p = p.and(i -> created(i).isBefore(bound));
        }
        for (String since : filters.getOrDefault("since", List.of())) {
            Instant bound = created(resolve(store, since));
            p = p.and(i -> created(i).isAfter(bound));
        }
        for (String until : filters.getOrDefault("until", List.of())) {
            Instant bound = untilInstant(until);
            p = p.and(i -> created(i).isBefore(bound));
        }
        return p;
    }

    private static Image resolve(ImageStore store, String ref) {
        return store.find(ref).orElseThrow(() -> new EngineException(404, "No such image: " + ref));
    }

    static Instant created(Image i) {
        return i.created().orElse(i.added());
    }

    private static boolean hasLabel(Image i, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return i.labels().containsKey(filter);
        }
        return filter.substring(eq + 1).equals(i.labels().get(filter.substring(0, eq)));
    }

    /** docker's reference filter: path.Match of the pattern against the familiar name, and name:tag. */
    private static boolean matchesReference(Image i, String pattern) {
        PathMatcher m;
        try {
            m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, "invalid filter 'reference=" + pattern + "': " + e.getMessage());
        }
        for (ImageReference r : i.repoTags()) {
            if (m.matches(Path.of(r.familiarName())) || m.matches(Path.of(r.familiar()))) {
                return true;
            }
        }
        return false;
    }

    /** A Go duration ("24h", "90m", "10s") before now, or an RFC 3339 time, or Unix seconds. */
    static Instant untilInstant(String value) {
        java.util.regex.Matcher d = java.util.regex.Pattern.compile("(\\d+)(h|m|s)").matcher(value);
        if (d.matches()) {
            long n = Long.parseLong(d.group(1));
            Duration ago = switch (d.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
            return Instant.now().minus(ago);
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return Instant.ofEpochSecond((long) Double.parseDouble(value));
            } catch (NumberFormatException n) {
                throw new EngineException(400, "invalid filter 'until=" + value + "'");
            }
        }
    }
}
