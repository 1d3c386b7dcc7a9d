package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;

/** A verb that is one flag-less POST per container (pause, unpause). */
public final class SimpleContainerCommand implements Command {
    private final String name;
    private final String description;
    private final String path;

    public SimpleContainerCommand(String name, String description, String path) {
        this.name = name;
        this.description = description;
        this.path = path;
    }

    @Override
    public Spec spec() {
        return Spec.of(name, name + " CONTAINER [CONTAINER...]", description, 1, -1);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        return EachContainer.run(cli, a.args(), c -> cli.api().send("POST", "/containers/" + Api.segment(c) + path, null));
    }
}
