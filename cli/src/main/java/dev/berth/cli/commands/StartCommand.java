package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;

/** {@code berth start}: start containers; with -a, attach first and exit with the container's status. */
public final class StartCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("start", "start [OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", 1, -1,
                Flag.bool("attach", 'a', "Attach STDOUT/STDERR and forward signals"),
                Flag.value("detach-keys", "string", "Override the key sequence for detaching a container"),
                Flag.bool("interactive", 'i', "Attach container's STDIN"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        byte[] detachKeys = DetachKeys.parse(a.string("detach-keys"));
        if (!a.bool("attach") && !a.bool("interactive")) {
            int code = EachContainer.run(cli, a.args(), name -> cli.api().send("POST", "/containers/" + Api.segment(name) + "/start", null));
            if (code != 0) {
                throw new CliException("Error: failed to start containers: " + String.join(", ", a.args()), 1);
            }
            return 0;
        }
        if (a.args().size() > 1) {
            throw new CliException("you cannot start and attach multiple containers at once", 1);
        }
        Object c = cli.api().getJson("/containers/" + Api.segment(a.arg(0)) + "/json", null);
        String id = Api.string(c, "Id");
        boolean tty = Boolean.TRUE.equals(Api.get(c, "Config", "Tty"));
        boolean in = a.bool("interactive") && Boolean.TRUE.equals(Api.get(c, "Config", "OpenStdin"));
        try (AttachSession session = AttachSession.attach(cli, id, in, true, true);
             HttpResponse wait = cli.api().call("POST", "/containers/" + id + "/wait", Api.query().put("condition", "next-exit"), null)) {
            boolean detached;
            try (TerminalMode terminal = TerminalMode.forSession(cli, tty, in)) {
                cli.api().send("POST", "/containers/" + id + "/start", null);
                AttachSession.follow(cli, id, tty, true);
                detached = session.pump(cli, in, tty, detachKeys);
            }
            return detached ? 0 : WaitCommand.status(wait);
        }
    }
}
