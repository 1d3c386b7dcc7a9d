package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;

/**
 * A docker command Berth's CLI knows by name but does not implement yet (cp, build, import,
 * login, logout, networks, ...): it answers one clear line and exit status 1 rather than
 * pretending.
 */
public final class UnsupportedCommand implements Command {
    private final String name;

    public UnsupportedCommand(String name) {
        this.name = name;
    }

    @Override
    public Spec spec() {
        return new Spec(name, name + " [OPTIONS] [ARG...]", "Not supported by berth yet (" + name + ")", java.util.List.of(), true, 0, -1);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws CliException {
        throw new CliException(Cli.PROGRAM + ": '" + name + "' is not supported yet", 1);
    }
}
