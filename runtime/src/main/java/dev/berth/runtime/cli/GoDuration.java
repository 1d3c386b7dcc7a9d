package dev.berth.runtime.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Durations in Go's syntax (time.ParseDuration), which runc's --interval takes: an optional sign,
 * then one or more decimal numbers each with a unit, "ns", "us" ("µs", "μs"), "ms", "s", "m", "h":
 * 5s, 500ms, 1m30s, 1.5h. A bare "0" is allowed without a unit. Error texts are Go's, so scripts
 * that match runc's messages keep working.
 */
final class GoDuration {
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L, "ms", 1_000_000L,
            "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    static Duration parse(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        while (!s.isEmpty()) {
            int i = 0;
            int digits = 0;
            for (; i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.'); i++) {
                if (s.charAt(i) != '.') digits++;
            }
            String number = s.substring(0, i);
            if (digits == 0 || number.indexOf('.') != number.lastIndexOf('.')) {
                throw invalid(text);
            }
            int j = i;
            while (j < s.length() && s.charAt(j) != '.' && !Character.isDigit(s.charAt(j))) j++;
            String unit = s.substring(i, j);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
            }
            Long per = NANOS_PER_UNIT.get(unit);
            if (per == null) {
                throw new IllegalArgumentException("time: unknown unit " + quote(unit) + " in duration " + quote(text));
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(per)));
            s = s.substring(j);
        }
        try {
            long n = nanos.toBigInteger().longValueExact();
            return Duration.ofNanos(negative ? -n : n);
        } catch (ArithmeticException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration " + quote(text));
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
