package dev.berth.cli.format;

import java.util.List;
import java.util.Map;

/**
 * JSON text as the docker CLI prints it: Go's encoder with HTML escaping off (the {@code json}
 * template function), or indented by four spaces as {@code docker inspect} does. Keys keep the
 * daemon's order, as Go keeps a struct's field order.
 */
public final class GoJson {
    private GoJson() {}

    public static String compact(Object value) {
        StringBuilder s = new StringBuilder();
        write(s, value, null, 0);
        return s.toString();
    }

    /**
     * Compact, with Go's default HTML escaping of {@code < > &} as {@code \u003c \u003e \u0026}:
     * what docker prints for {@code --format json} (json.Marshal), unlike the {@code json} template
     * function.
     */
    public static String compactHtmlEscaped(Object value) {
        String plain = compact(value);
        StringBuilder s = new StringBuilder(plain.length());
        for (int i = 0; i < plain.length(); i++) {
            char c = plain.charAt(i);
            switch (c) {
                case '<' -> s.append("\\u003c");
                case '>' -> s.append("\\u003e");
                case '&' -> s.append("\\u0026");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /** Indented with {@code indent} per level, Go's json.Indent layout ({@code "key": value}, empty {} and []). */
    public static String indented(Object value, String indent) {
        StringBuilder s = new StringBuilder();
        write(s, value, indent, 0);
        return s.toString();
    }

    private static void write(StringBuilder s, Object v, String indent, int depth) {
        if (v instanceof Template.Lazy lazy) {
            v = lazy.get();
        }
        if (v instanceof Row row && indent == null) {
            s.append(compactHtmlEscaped(new java.util.TreeMap<>(row)));
        } else if (v == null || v == Template.NO_VALUE) {
            s.append("null");
        } else if (v instanceof String str) {
            string(s, str);
        } else if (v instanceof Number || v instanceof Boolean) {
            s.append(GoValue.format(v));
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                s.append("{}");
                return;
            }
            s.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    s.append(',');
                }
                first = false;
                newline(s, indent, depth + 1);
                string(s, String.valueOf(e.getKey()));
                s.append(indent == null ? ":" : ": ");
                write(s, e.getValue(), indent, depth + 1);
            }
            newline(s, indent, depth);
            s.append('}');
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                s.append("[]");
                return;
            }
            s.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                newline(s, indent, depth + 1);
                write(s, l.get(i), indent, depth + 1);
            }
            newline(s, indent, depth);
            s.append(']');
        } else {
            string(s, v.toString());
        }
    }

    private static void newline(StringBuilder s, String indent, int depth) {
        if (indent != null) {
            s.append('\n');
            s.append(indent.repeat(depth));
        }
    }

    private static void string(StringBuilder s, String str) {
        s.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
    }
}
