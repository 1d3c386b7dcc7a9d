package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;

/** {@code berth kill}: POST /containers/{id}/kill with -s (default KILL). */
public final class KillCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("kill", "kill [OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers", 1, -1,
                Flag.value("signal", 's', "string", "Signal to send to the container"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("signal", a.string("signal"));
        return EachContainer.run(cli, a.args(), name -> cli.api().send("POST", "/containers/" + Api.segment(name) + "/kill", q));
    }
}
