package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;

/** {@code berth rm}: DELETE /containers/{id} with -f and -v. */
public final class RmCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("rm", "rm [OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers", 1, -1,
                Flag.bool("force", 'f', "Force the removal of a running container (uses SIGKILL)"),
                Flag.bool("link", 'l', "Remove the specified link"),
                Flag.bool("volumes", 'v', "Remove anonymous volumes associated with the container"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("force", a.bool("force") ? Boolean.TRUE : null).put("v", a.bool("volumes") ? Boolean.TRUE : null)
                .put("link", a.bool("link") ? Boolean.TRUE : null);
        return EachContainer.run(cli, a.args(), name -> cli.api().send("DELETE", "/containers/" + Api.segment(name), q));
    }
}
