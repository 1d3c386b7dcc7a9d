package dev.berth.cli.flags;

/**
 * One option of a command, as docker (pflag) declares it: a long name, an optional one-letter
 * short name, whether it takes a value, whether it may be repeated (-e A -e B), and whether
 * --help lists it (docker hides old spellings and options of other platforms).
 */
public record Flag(String name, char shorthand, Kind kind, String valueName, String defaultValue, String usage, boolean hidden) {
    public enum Kind { BOOL, VALUE, LIST }

    public static Flag bool(String name, char shorthand, String usage) {
        return new Flag(name, shorthand, Kind.BOOL, null, null, usage, false);
    }

    public static Flag bool(String name, String usage) {
        return bool(name, (char) 0, usage);
    }

    public static Flag value(String name, char shorthand, String valueName, String usage) {
        return new Flag(name, shorthand, Kind.VALUE, valueName, null, usage, false);
    }

    public static Flag value(String name, String valueName, String usage) {
        return value(name, (char) 0, valueName, usage);
    }

    public static Flag list(String name, char shorthand, String valueName, String usage) {
        return new Flag(name, shorthand, Kind.LIST, valueName, null, usage, false);
    }

    public static Flag list(String name, String valueName, String usage) {
        return list(name, (char) 0, valueName, usage);
    }

    public Flag withDefault(String value) {
        return new Flag(name, shorthand, kind, valueName, value, usage, hidden);
    }

    /** Still accepted, not listed by --help or the completions. */
    public Flag hide() {
        return new Flag(name, shorthand, kind, valueName, defaultValue, usage, true);
    }

    /** As pflag names it in errors: "-m, --memory" or "--name". */
    public String label() {
        return (hasShorthand() ? "-" + shorthand + ", " : "") + "--" + name;
    }

    public boolean hasShorthand() {
        return shorthand != 0;
    }

    public boolean takesValue() {
        return kind != Kind.BOOL;
    }
}
