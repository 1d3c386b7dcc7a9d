package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.DaemonException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.JsonParser;
import dev.berth.cli.http.HttpResponse;
import dev.berth.cli.http.UnixHttpClient.Body;
import dev.berth.oci.image.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * {@code berth run} and {@code berth create}, as docker/cli's container/run.go: create (pulling
 * the image when it is missing), then for a foreground run attach, register the wait, start,
 * copy the output and exit with the container's status. Failures of the daemon exit 125; a
 * command that cannot be found 127, one that cannot be invoked 126.
 */
public final class RunCommand implements Command {
    private final boolean createOnly;

    public RunCommand(boolean createOnly) {
        this.createOnly = createOnly;
    }

    @Override
    public Spec spec() {
        return createOnly
                ? new Spec("create", "create [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", RunFlags.create(), false, 1, -1)
                : new Spec("run", "run [OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", RunFlags.run(), false, 1, -1);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        byte[] detachKeys = DetachKeys.parse(a.string("detach-keys"));
        String verb = createOnly ? "create" : "run";
        boolean detach = !createOnly && a.bool("detach");
        Map<String, Object> body = CreateRequest.build(a, detach, cli.env());
        boolean tty = a.bool("tty");
        boolean stdin = a.bool("interactive");
        if (!createOnly && !detach && tty && stdin && !cli.isTerminal(0)) {
            throw new CliException("the input device is not a TTY", 1);
        }
        String id;
        try {
            id = create(cli, body, a);
        } catch (DaemonException e) {
            throw failure(verb, e.getMessage(), 125);
        } catch (CliException e) {
            throw failure(verb, e.getMessage(), 125);
        }
        if (a.has("cidfile")) {
            Files.writeString(Path.of(a.string("cidfile")), id, StandardOpenOption.CREATE_NEW);
        }
        if (createOnly) {
            cli.out().println(id);
            return 0;
        }
        if (detach) {
            start(cli, id, verb);
            cli.out().println(id);
            return 0;
        }
        return foreground(cli, a, id, tty, stdin, verb, detachKeys);
    }

    private static int foreground(Cli cli, ParsedArgs a, String id, boolean tty, boolean stdin, String verb, byte[] detachKeys)
            throws Exception {
        java.util.List<String> streams = a.list("attach");
        boolean all = streams.isEmpty();
        boolean out = all || streams.stream().anyMatch(s -> s.equalsIgnoreCase("stdout"));
        boolean err = all || streams.stream().anyMatch(s -> s.equalsIgnoreCase("stderr"));
        boolean in = stdin && (all || streams.stream().anyMatch(s -> s.equalsIgnoreCase("stdin")));
        boolean autoRemove = a.bool("rm");
        try (AttachSession session = AttachSession.attach(cli, id, in, out, err);
             HttpResponse wait = cli.api().call("POST", "/containers/" + id + "/wait",
                     Api.query().put("condition", autoRemove ? "removed" : "next-exit"), null)) {
            boolean detached;
            try (TerminalMode terminal = TerminalMode.forSession(cli, tty, in)) {
                start(cli, id, verb);
                AttachSession.follow(cli, id, tty, a.bool("sig-proxy"));
                detached = session.pump(cli, in, tty, detachKeys);
            }
            return detached ? 0 : WaitCommand.status(wait);
        }
    }

    private static String create(Cli cli, Map<String, Object> body, ParsedArgs a) throws Exception {
        String image = a.arg(0);
        String pull = a.string("pull");
        if (!java.util.List.of("always", "missing", "never").contains(pull)) {
            throw new CliException("invalid pull option: '" + pull + "': must be one of \"always\", \"missing\" or \"never\"", 125);
        }
        if (pull.equals("always")) {
            pullImage(cli, image, a);
        }
        Api.Query q = Api.query().put("name", a.string("name")).put("platform", a.string("platform"));
        String json = GoJson.compact(body);
        try {
            return created(cli, q, json);
        } catch (DaemonException e) {
            if (e.status() != 404 || !e.daemonMessage().startsWith("No such image") || !pull.equals("missing")) {
                throw e;
            }
        }
        pullImage(cli, image, a);
        return created(cli, q, json);
    }

    private static void pullImage(Cli cli, String image, ParsedArgs a) throws Exception {
        ImageReference ref = PullCommand.parse(image);
        cli.err().println("Unable to find image '" + ref.familiar() + "' locally");
        var out = a.bool("quiet") ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : cli.err();
        PullCommand.pull(cli, ref, a.string("platform"), out, cli.isTerminal(2));
    }

    private static String created(Cli cli, Api.Query q, String json) throws CliException {
        try (HttpResponse r = cli.api().call("POST", "/containers/create", q, Body.json(json))) {
            Object answer = JsonParser.parse(r.bodyText());
            for (Object w : Api.list(answer, "Warnings")) {
                cli.err().println("WARNING: " + w);
            }
            return Api.string(answer, "Id");
        } catch (java.io.IOException e) {
            throw new CliException("error reading the daemon's answer: " + e.getMessage(), 125);
        }
    }

    /** Starts the container; with --rm a failed start is cleaned up by the daemon (AutoRemove), as dockerd does. */
    private static void start(Cli cli, String id, String verb) throws CliException {
        try {
            cli.api().send("POST", "/containers/" + id + "/start", null);
        } catch (DaemonException e) {
            throw failure(verb, e.getMessage(), startExitCode(e.daemonMessage()));
        }
    }

    /** docker's runStartContainerErr: 127 for a command not found, 126 for one that cannot be invoked, else 125. */
    static int startExitCode(String message) {
        if (message.contains("executable file not found") || message.contains("no such file or directory")
                || message.contains("system cannot find the file specified")) {
            return 127;
        }
        if (message.contains("permission denied") || message.contains("is a directory")) {
            return 126;
        }
        return 125;
    }

    private static CliException failure(String verb, String message, int code) {
        return new CliException(Cli.PROGRAM + ": " + message + "\n\nRun '" + Cli.PROGRAM + " " + verb + " --help' for more information", code);
    }
}
