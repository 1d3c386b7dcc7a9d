package dev.berth.runtime.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as docker and runc take them on the command line (docker/go-units RAMInBytes, the
 * grammar runc 1.1 accepts): a decimal number, an optional space, then an optional k, m, g, t or p
 * (binary multiples, any case), optionally followed by "i" and/or "b": 512, 64m, 1.5g, 2GiB, 10kb.
 * Negative sizes are refused here; "-1" (unlimited) is the caller's business.
 */
final class RamSize {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?) ?([kmgtp])?i?b?", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "kmgtp";

    private RamSize() {}

    /** Bytes, fractions truncated as go-units does; an {@link IllegalArgumentException} says "invalid size: '...'". */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size: '" + text + "'");
        }
        BigDecimal bytes = new BigDecimal(m.group(1));
        if (m.group(2) != null) {
            int power = UNITS.indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
            bytes = bytes.multiply(BigDecimal.valueOf(1024).pow(power));
        }
        try {
            return bytes.toBigInteger().longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid size: '" + text + "' is too large");
        }
    }
}
