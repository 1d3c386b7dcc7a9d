package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;

/** {@code berth rename}: POST /containers/{id}/rename?name=. */
public final class RenameCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("rename", "rename CONTAINER NEW_NAME", "Rename a container", 2, 2);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        cli.api().send("POST", "/containers/" + Api.segment(a.arg(0)) + "/rename", Api.query().put("name", a.arg(1)));
        return 0;
    }
}
