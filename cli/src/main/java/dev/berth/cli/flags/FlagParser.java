package dev.berth.cli.flags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's command-line syntax (spf13/pflag as docker configures it): {@code --name value},
 * {@code --name=value}, {@code -n value}, {@code -nvalue}, {@code -n=value}, bundled booleans
 * ({@code -it}, {@code -itd}), {@code --flag=false} for booleans, {@code --} ending the flags.
 *
 * <p>With {@code interspersed} false (run, create, exec) the first positional argument ends the
 * flags, so {@code run busybox ls -l} passes {@code -l} to the container; otherwise flags may
 * follow positionals ({@code rm c1 -f}).
 */
public final class FlagParser {
    private FlagParser() {}

    public static ParsedArgs parse(List<Flag> flags, List<String> argv, boolean interspersed) throws FlagException {
        Map<String, Flag> byName = new HashMap<>();
        Map<Character, Flag> byShort = new HashMap<>();
        for (Flag f : flags) {
            byName.put(f.name(), f);
            if (f.hasShorthand()) {
                byShort.put(f.shorthand(), f);
            }
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                args.addAll(argv.subList(i + 1, argv.size()));
                break;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = eq < 0 ? a.substring(2) : a.substring(2, eq);
                Flag f = byName.get(name);
                if (f == null) {
                    throw new FlagException("unknown flag: --" + name);
                }
                String value;
                if (eq >= 0) {
                    value = a.substring(eq + 1);
                } else if (!f.takesValue()) {
                    value = "true";
                } else if (i + 1 < argv.size()) {
                    value = argv.get(++i);
                } else {
                    throw new FlagException("flag needs an argument: --" + name);
                }
                put(values, f, value);
            } else if (a.startsWith("-") && a.length() > 1) {
                i = shorthands(a, argv, i, byShort, values);
            } else {
                args.add(a);
                if (!interspersed) {
                    args.addAll(argv.subList(i + 1, argv.size()));
                    break;
                }
            }
        }
        return new ParsedArgs(values, List.copyOf(args), byName);
    }

    /** A group of one-letter flags; returns the index of the last argument it consumed. */
    private static int shorthands(String a, List<String> argv, int i, Map<Character, Flag> byShort,
                                  Map<String, List<String>> values) throws FlagException {
        for (int j = 1; j < a.length(); j++) {
            char c = a.charAt(j);
            Flag f = byShort.get(c);
            if (f == null) {
                throw new FlagException("unknown shorthand flag: '" + c + "' in " + a);
            }
            String rest = a.substring(j + 1);
            if (!f.takesValue()) {
                if (rest.startsWith("=")) {
                    put(values, f, rest.substring(1));
                    return i;
                }
                put(values, f, "true");
                continue;
            }
            if (!rest.isEmpty()) {
                put(values, f, rest.startsWith("=") ? rest.substring(1) : rest);
                return i;
            }
            if (i + 1 >= argv.size()) {
                throw new FlagException("flag needs an argument: '" + c + "' in " + a);
            }
            put(values, f, argv.get(i + 1));
            return i + 1;
        }
        return i;
    }

    private static void put(Map<String, List<String>> values, Flag f, String value) throws FlagException {
        if (f.kind() == Flag.Kind.BOOL && !value.equals("true") && !value.equals("false")) {
            if (value.equals("1") || value.equals("0")) {
                value = value.equals("1") ? "true" : "false";
            } else {
                throw new FlagException("invalid argument \"" + value + "\" for \"--" + f.name()
                        + "\" flag: strconv.ParseBool: parsing \"" + value + "\": invalid syntax");
            }
        }
        List<String> list = values.computeIfAbsent(f.name(), k -> new ArrayList<>());
        if (f.kind() != Flag.Kind.LIST) {
            list.clear();
        }
        list.add(value);
    }
}
