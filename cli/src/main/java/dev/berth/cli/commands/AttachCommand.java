package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;

/** {@code berth attach}: the running container's stdio on this terminal; exits with its status when it ends. */
public final class AttachCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("attach", "attach [OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container", 1, 1,
                Flag.value("detach-keys", "string", "Override the key sequence for detaching a container"),
                Flag.bool("no-stdin", "Do not attach STDIN"),
                Flag.bool("sig-proxy", "Proxy all received signals to the process").withDefault("true"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        byte[] detachKeys = DetachKeys.parse(a.string("detach-keys"));
        Object c = cli.api().getJson("/containers/" + Api.segment(a.arg(0)) + "/json", null);
        String id = Api.string(c, "Id");
        if (!Boolean.TRUE.equals(Api.get(c, "State", "Running"))) {
            throw new CliException("You cannot attach to a stopped container, start it first", 1);
        }
        if (Boolean.TRUE.equals(Api.get(c, "State", "Paused"))) {
            throw new CliException("You cannot attach to a paused container, unpause it first", 1);
        }
        boolean tty = Boolean.TRUE.equals(Api.get(c, "Config", "Tty"));
        boolean in = !a.bool("no-stdin") && Boolean.TRUE.equals(Api.get(c, "Config", "OpenStdin"));
        try (AttachSession session = AttachSession.attach(cli, id, in, true, true);
             HttpResponse wait = cli.api().call("POST", "/containers/" + id + "/wait", null, null)) {
            boolean detached;
            try (TerminalMode terminal = TerminalMode.forSession(cli, tty, in)) {
                AttachSession.follow(cli, id, tty, a.bool("sig-proxy"));
                detached = session.pump(cli, in, tty, detachKeys);
            }
            return detached ? 0 : WaitCommand.status(wait);
        }
    }
}
