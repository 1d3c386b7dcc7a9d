package dev.berth.runtime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of one verb, parsed the way runc's (urfave/cli) is: flags before the
 * positional arguments, "--flag value", "--flag=value", "-f value", booleans without a value,
 * repeatable flags collected in order; the first positional argument ends the flags.
 */
final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param booleans names of flags that take no value (long names, without dashes)
     * @param aliases  short or alternative names to long names ("b" -> "bundle")
     * @param known    every long name the verb accepts; others are an error
     */
    static Args parse(List<String> argv, Set<String> booleans, Map<String, String> aliases, Set<String> known) {
        Args a = new Args();
        int i = 0;
        for (; i < argv.size(); i++) {
            String arg = argv.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                break;
            }
            String name = arg.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            name = aliases.getOrDefault(name, name);
            if (!known.contains(name) && !booleans.contains(name)) {
                throw new UsageException("flag provided but not defined: -" + name);
            }
            if (booleans.contains(name)) {
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value == null ? "true" : value);
                continue;
            }
            if (value == null) {
                if (i + 1 >= argv.size()) {
                    throw new UsageException("flag needs an argument: -" + name);
                }
                value = argv.get(++i);
            }
            a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        a.positional.addAll(argv.subList(i, argv.size()));
        return a;
    }

    boolean flag(String name) {
        List<String> v = values.get(name);
        return v != null && !v.getLast().equals("false");
    }

    String value(String name, String fallback) {
        List<String> v = values.get(name);
        return v == null ? fallback : v.getLast();
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int intValue(String name, int fallback) {
        String v = value(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid value \"" + v + "\" for flag -" + name + ": parse error");
        }
    }

    List<String> positional() {
        return positional;
    }

    /** The container id: the first positional argument, required. */
    String id(String verb) {
        if (positional.isEmpty()) {
            throw new UsageException("\"" + verb + "\" requires a minimum of 1 argument");
        }
        return positional.getFirst();
    }
}
