package dev.berth.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * An ordered list of header fields. Names compare case-insensitively (RFC 9110 §5.1); the
 * spelling given is kept, since Go clients print what they see. Repeated fields stay separate
 * entries, which is what RFC 9110 §5.3 needs to combine them later.
 */
public final class Headers {
    private final List<String[]> fields = new ArrayList<>();

    public Headers() {}

    /** The first value of {@code name}, if any. */
    public Optional<String> first(String name) {
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                return Optional.of(f[1]);
            }
        }
        return Optional.empty();
    }

    /** The first value of {@code name}, or null. */
    public String get(String name) {
        return first(name).orElse(null);
    }

    /** Every value of {@code name}, in order. */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase(name)) {
                out.add(f[1]);
            }
        }
        return out;
    }

    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /**
     * Whether a list-valued field ({@code Connection}, {@code Transfer-Encoding}, ...) holds
     * {@code token} among its comma-separated elements, in any of its lines (RFC 9110 §5.6.1).
     */
    public boolean hasToken(String name, String token) {
        for (String value : all(name)) {
            for (String element : value.split(",")) {
                if (element.strip().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The comma-separated elements of every {@code name} line, lower-cased, empty ones dropped. */
    public List<String> tokens(String name) {
        List<String> out = new ArrayList<>();
        for (String value : all(name)) {
            for (String element : value.split(",")) {
                String t = element.strip();
                if (!t.isEmpty()) {
                    out.add(t.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** Appends a field, keeping any earlier ones of the same name. */
    public Headers add(String name, String value) {
        checkField(name, value);
        fields.add(new String[] {name, value});
        return this;
    }

    /** Replaces every field of {@code name} with this one. */
    public Headers set(String name, String value) {
        checkField(name, value);
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i)[0].equalsIgnoreCase(name)) {
                fields.get(i)[1] = value;
                removeFrom(name, i + 1);
                return this;
            }
        }
        fields.add(new String[] {name, value});
        return this;
    }

    /** Sets {@code name} unless the caller already did. */
    public Headers setIfAbsent(String name, String value) {
        if (!contains(name)) {
            add(name, value);
        }
        return this;
    }

    public Headers remove(String name) {
        removeFrom(name, 0);
        return this;
    }

    public void forEach(BiConsumer<String, String> action) {
        for (String[] f : fields) {
            action.accept(f[0], f[1]);
        }
    }

    public int size() {
        return fields.size();
    }

    private void removeFrom(String name, int start) {
        for (int i = fields.size() - 1; i >= start; i--) {
            if (fields.get(i)[0].equalsIgnoreCase(name)) {
                fields.remove(i);
            }
        }
    }

    /** A CR or LF in a field we send would let a value smuggle in header lines (response splitting). */
    private static void checkField(String name, String value) {
        if (name.isEmpty() || !Tokens.isToken(name)) {
            throw new IllegalArgumentException("bad header name: " + name);
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("header " + name + " has a CR, LF or NUL in its value");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        forEach((n, v) -> sb.append(n).append(": ").append(v).append('\n'));
        return sb.toString();
    }
}
