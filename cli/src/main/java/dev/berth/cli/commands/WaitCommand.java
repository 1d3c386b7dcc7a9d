package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.JsonParser;
import dev.berth.cli.http.HttpResponse;

/** {@code berth wait}: block until containers stop, print each exit code. */
public final class WaitCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("wait", "wait CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", 1, -1);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        boolean failed = false;
        for (String name : a.args()) {
            try (HttpResponse r = cli.api().call("POST", "/containers/" + Api.segment(name) + "/wait", null, null)) {
                cli.out().println(status(r));
            } catch (CliException e) {
                cli.out().flush();
                cli.err().println(e.getMessage());
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }

    /** The body of a wait answer: its StatusCode, or its Error as a failure. */
    static int status(HttpResponse wait) throws CliException {
        Object answer;
        try {
            String text = wait.bodyText();
            if (text.isBlank()) {
                throw new CliException("Error: the daemon ended the wait without a status", 125);
            }
            answer = JsonParser.parse(text);
        } catch (java.io.IOException e) {
            throw new CliException("Error waiting for container: " + e.getMessage(), 125);
        }
        String error = Api.string(answer, "Error", "Message");
        if (!error.isEmpty()) {
            throw new CliException("Error waiting for container: " + error, 125);
        }
        return (int) Api.number(answer, "StatusCode");
    }
}
