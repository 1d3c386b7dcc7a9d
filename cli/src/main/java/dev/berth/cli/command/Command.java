package dev.berth.cli.command;

import dev.berth.cli.Cli;
import dev.berth.cli.flags.ParsedArgs;

/** One verb of the CLI (one class per verb): its spec, and running it. */
public interface Command {
    Spec spec();

    /** Runs the command; returns the process's exit status. */
    int run(Cli cli, ParsedArgs args) throws Exception;
}
