package dev.berth.cli.commands;

import dev.berth.cli.flags.FlagException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** docker/go-units: human durations and sizes for tables, and parsing of "512m" and "1m30s". */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

    private Units() {}

    /** go-units HumanDuration: "Less than a second", "About a minute", "3 hours", "2 weeks". */
    public static String humanDuration(long seconds) {
        if (seconds < 1) {
            return "Less than a second";
        }
        if (seconds == 1) {
            return "1 second";
        }
        if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        }
        if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(seconds / 3600.0);
        if (hours == 1) {
            return "About an hour";
        }
        if (hours < 48) {
            return hours + " hours";
        }
        if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        }
        if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }

    /** go-units HumanSizeWithPrecision(size, 3): decimal units, 3 significant digits ("4.26MB", "100B"). */
    public static String humanSize(double size) {
        return humanSize(size, 3);
    }

    /** go-units HumanSizeWithPrecision(size, digits); HumanSize is 4 digits. */
    public static String humanSize(double size, int digits) {
        int i = 0;
        while (size >= 1000 && i < DECIMAL.length - 1) {
            size /= 1000;
            i++;
        }
        return significant(size, digits) + DECIMAL[i];
    }

    /** docker stats' binary sizes ("1.5MiB"): go-units BytesSize. */
    public static String bytesSize(double size) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int i = 0;
        while (size >= 1024 && i < units.length - 1) {
            size /= 1024;
            i++;
        }
        return significant(size, 4) + units[i];
    }

    private static String significant(double v, int digits) {
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /** go-units RAMInBytes: "512m", "1g", "64k", "1024b", "1.5g"; binary multiples. */
    public static long ramInBytes(String flag, String text) throws FlagException {
        String s = text.trim().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) {
            end++;
        }
        String unit = s.substring(end);
        if (unit.endsWith("ib")) {
            unit = unit.substring(0, unit.length() - 2);
        } else if (unit.length() == 2 && unit.endsWith("b")) {
            unit = unit.substring(0, 1);
        }
        long mult = switch (unit) {
            case "", "b" -> 1L;
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            case "p" -> 1L << 50;
            default -> -1;
        };
        if (end == 0 || mult < 0) {
            throw new FlagException("invalid argument \"" + text + "\" for \"--" + flag + "\" flag: invalid size: '" + text + "'");
        }
        return (long) (Double.parseDouble(s.substring(0, end)) * mult);
    }

    /** Go's time.ParseDuration: "30s", "1m30s", "500ms", "1h"; in nanoseconds. */
    public static long goDuration(String flag, String text) throws FlagException {
        String s = text.trim();
        if (s.equals("0")) {
            return 0;
        }
        long total = 0;
        int i = 0;
        if (s.isEmpty()) {
            throw badDuration(flag, text);
        }
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw badDuration(flag, text);
            }
            double n = Double.parseDouble(s.substring(start, i));
            int u = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            long unit = switch (s.substring(u, i)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw badDuration(flag, text);
            };
            total += (long) (n * unit);
        }
        return total;
    }

    private static FlagException badDuration(String flag, String text) {
        return new FlagException("invalid argument \"" + text + "\" for \"--" + flag + "\" flag: time: invalid duration \"" + text + "\"");
    }
}
