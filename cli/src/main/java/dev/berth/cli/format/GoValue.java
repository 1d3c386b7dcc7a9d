package dev.berth.cli.format;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A decoded JSON value printed as Go's fmt prints it with %v: map[a:1 b:2], [x y], <nil>, true. */
public final class GoValue {
    private GoValue() {}

    public static String format(Object v) {
        StringBuilder s = new StringBuilder();
        append(s, v);
        return s.toString();
    }

    private static void append(StringBuilder s, Object v) {
        if (v == Template.NO_VALUE) {
            s.append("<no value>");
        } else if (v == null) {
            s.append("<nil>");
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e21) {
                s.append(new BigDecimal(d).toBigInteger());
            } else {
                s.append(v);
            }
        } else if (v instanceof Map<?, ?> m) {
            s.append("map[");
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted(m).entrySet()) {
                if (!first) {
                    s.append(' ');
                }
                first = false;
                s.append(e.getKey()).append(':');
                append(s, e.getValue());
            }
            s.append(']');
        } else if (v instanceof List<?> l) {
            s.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    s.append(' ');
                }
                append(s, l.get(i));
            }
            s.append(']');
        } else {
            s.append(v);
        }
    }

    private static Map<String, Object> sorted(Map<?, ?> m) {
        Map<String, Object> t = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            t.put(String.valueOf(e.getKey()), e.getValue());
        }
        return t;
    }

    /** Go's notion of "true" for {{if}}: not false, 0, nil, or an empty string, list or map. */
    public static boolean truth(Object v) {
        if (v == null || v == Template.NO_VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String str) {
            return !str.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return true;
    }
}
