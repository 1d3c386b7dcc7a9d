package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;

/** {@code berth diff}: GET /containers/{id}/changes as docker's "C /path", "A /path", "D /path" lines. */
public final class DiffCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("diff", "diff CONTAINER", "Inspect changes to files or directories on a container's filesystem", 1, 1);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        for (Object c : Api.asList(cli.api().getJson("/containers/" + Api.segment(a.arg(0)) + "/changes", null))) {
            String kind = switch ((int) Api.number(c, "Kind")) {
                case 1 -> "A";
                case 2 -> "D";
                default -> "C";
            };
            cli.out().println(kind + " " + Api.string(c, "Path"));
        }
        return 0;
    }
}
