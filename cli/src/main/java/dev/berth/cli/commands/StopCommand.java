package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;

/** {@code berth stop} and {@code berth restart}: POST /containers/{id}/stop or /restart with -t and -s. */
public final class StopCommand implements Command {
    private final boolean restart;

    public StopCommand(boolean restart) {
        this.restart = restart;
    }

    @Override
    public Spec spec() {
        String verb = restart ? "restart" : "stop";
        return Spec.of(verb, verb + " [OPTIONS] CONTAINER [CONTAINER...]",
                restart ? "Restart one or more containers" : "Stop one or more running containers", 1, -1,
                Flag.value("signal", 's', "string", "Signal to send to the container"),
                Flag.value("timeout", 't', "int", "Seconds to wait before killing the container"),
                Flag.value("time", "int", "Seconds to wait before killing the container (deprecated: use --timeout)").hide());
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Integer t = a.has("timeout") ? Integer.valueOf(a.integer("timeout", 0)) : a.has("time") ? Integer.valueOf(a.integer("time", 0)) : null;
        Api.Query q = Api.query().put("t", t).put("signal", a.string("signal"));
        String path = restart ? "/restart" : "/stop";
        return EachContainer.run(cli, a.args(), name -> cli.api().send("POST", "/containers/" + Api.segment(name) + path, q));
    }
}
