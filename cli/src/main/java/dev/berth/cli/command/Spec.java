package dev.berth.cli.command;

import dev.berth.cli.flags.Flag;
import java.util.List;

/**
 * What a command is, for parsing and --help: its name, the usage line after the program name,
 * a one-line description, its flags, whether flags may follow positionals, and how many
 * positionals it takes (maxArgs -1 for any number).
 */
public record Spec(String name, String usage, String description, List<Flag> flags, boolean interspersed,
                   int minArgs, int maxArgs) {
    public static Spec of(String name, String usage, String description, int minArgs, int maxArgs, Flag... flags) {
        return new Spec(name, usage, description, List.of(flags), true, minArgs, maxArgs);
    }

    /** For run, create and exec: the first positional ends the flags (the rest is the container's command line). */
    public Spec stopAtFirstArg() {
        return new Spec(name, usage, description, flags, false, minArgs, maxArgs);
    }
}
