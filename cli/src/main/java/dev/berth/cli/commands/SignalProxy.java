package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;

/**
 * --sig-proxy (on by default for a foreground run or attach without a tty): SIGINT, SIGTERM,
 * SIGHUP, SIGQUIT, SIGUSR1/2 received by the CLI are sent to the container, as docker's
 * ForwardAllSignals does, instead of ending the CLI.
 */
final class SignalProxy {
    private SignalProxy() {}

    static void forward(Cli cli, String id) {
        for (String name : new String[] {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> Thread.ofPlatform().daemon().start(() -> {
                    try {
                        cli.api().send("POST", "/containers/" + id + "/kill", Api.query().put("signal", "SIG" + s.getName()));
                    } catch (CliException e) {
                        cli.err().println(e.getMessage());
                    }
                }));
            } catch (IllegalArgumentException ignored) {
                // a signal the JVM keeps for itself (QUIT with some options): not forwarded
            }
        }
    }
}
