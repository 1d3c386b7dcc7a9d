package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code berth exec}: POST /containers/{id}/exec, then /exec/{id}/start hijacked (or detached),
 * then the exec's exit code from /exec/{id}/json, as docker/cli's container/exec.go.
 */
public final class ExecCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("exec", "exec [OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container", 2, -1,
                Flag.bool("detach", 'd', "Detached mode: run command in the background"),
                Flag.value("detach-keys", "string", "Override the key sequence for detaching a container"),
                Flag.list("env", 'e', "list", "Set environment variables"),
                Flag.list("env-file", "list", "Read in a file of environment variables"),
                Flag.bool("interactive", 'i', "Keep STDIN open even if not attached"),
                Flag.bool("privileged", "Give extended privileges to the command"),
                Flag.bool("tty", 't', "Allocate a pseudo-TTY"),
                Flag.value("user", 'u', "string", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
                Flag.value("workdir", 'w', "string", "Working directory inside the container")).stopAtFirstArg();
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        byte[] detachKeys = DetachKeys.parse(a.string("detach-keys"));
        boolean detach = a.bool("detach");
        boolean tty = a.bool("tty");
        boolean in = a.bool("interactive") && !detach;
        if (tty && in && !cli.isTerminal(0)) {
            throw new CliException("the input device is not a TTY", 1);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("AttachStdin", in);
        body.put("AttachStdout", !detach);
        body.put("AttachStderr", !detach);
        body.put("Tty", tty);
        List<String> env = new ArrayList<>();
        for (String f : a.list("env-file")) {
            env.addAll(CreateRequest.readEnvFile(f, cli.env()));
        }
        for (String e : a.list("env")) {
            env.add(CreateRequest.envValue(e, cli.env()));
        }
        if (!env.isEmpty()) {
            body.put("Env", env);
        }
        body.put("Cmd", a.args().subList(1, a.args().size()));
        if (a.bool("privileged")) {
            body.put("Privileged", true);
        }
        if (a.has("user")) {
            body.put("User", a.string("user"));
        }
        if (a.has("workdir")) {
            body.put("WorkingDir", a.string("workdir"));
        }
        Object created = cli.api().postJson("/containers/" + Api.segment(a.arg(0)) + "/exec", null, body);
        String execId = Api.string(created, "Id");
        if (detach) {
            cli.api().postJson("/exec/" + execId + "/start", null, Map.of("Detach", true, "Tty", tty));
            return 0;
        }
        try (AttachSession session = AttachSession.execStart(cli, execId, tty)) {
            try (TerminalMode terminal = TerminalMode.forSession(cli, tty, in)) {
                if (tty) {
                    Resize.exec(cli, execId);
                }
                if (session.pump(cli, in, tty, detachKeys)) {
                    return 0;
                }
            }
        }
        Object inspect = cli.api().getJson("/exec/" + execId + "/json", null);
        return (int) Api.number(inspect, "ExitCode");
    }
}
