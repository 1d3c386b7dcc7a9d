package dev.berth.cli.flags;

import java.util.List;
import java.util.Map;

/** What a command line said: the values given per flag (by long name) and the positional arguments. */
public record ParsedArgs(Map<String, List<String>> values, List<String> args, Map<String, Flag> flags) {
    /** Whether the user gave the flag at all. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    public boolean bool(String name) {
        List<String> v = values.get(name);
        if (v == null) {
            Flag f = flags.get(name);
            return f != null && "true".equals(f.defaultValue());
        }
        return Boolean.parseBoolean(v.getLast());
    }

    /** The last value given, else the flag's default, else null. */
    public String string(String name) {
        List<String> v = values.get(name);
        if (v != null) {
            return v.getLast();
        }
        Flag f = flags.get(name);
        return f == null ? null : f.defaultValue();
    }

    public List<String> list(String name) {
        return values.getOrDefault(name, List.of());
    }

    public int integer(String name, int fallback) throws FlagException {
        String v = string(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new FlagException("invalid argument \"" + v + "\" for \"--" + name + "\" flag: strconv.ParseInt: parsing \"" + v + "\": invalid syntax");
        }
    }

    public String arg(int i) {
        return args.get(i);
    }
}
