package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;
import dev.berth.cli.http.UnixHttpClient.Body;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code berth load}: streams a tar archive (-i file, else stdin) to POST /images/load. */
public final class LoadCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("load", "load [OPTIONS]", "Load an image from a tar archive or STDIN", 0, 0,
                Flag.value("input", 'i', "string", "Read from tar archive file, instead of STDIN"),
                Flag.bool("quiet", 'q', "Suppress the load output"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String input = a.string("input");
        Body body;
        InputStream in;
        if (input != null) {
            Path file = Path.of(input);
            try {
                in = Files.newInputStream(file);
            } catch (NoSuchFileException e) {
                throw new CliException("open " + input + ": no such file or directory", 1);
            }
            body = Body.stream("application/x-tar", in, Files.size(file));
        } else {
            if (cli.isTerminal(0)) {
                throw new CliException("requested load from stdin, but stdin is empty", 1);
            }
            in = cli.in();
            body = Body.stream("application/x-tar", in, -1);
        }
        Api.Query q = Api.query().put("quiet", a.bool("quiet") ? Boolean.TRUE : null);
        try (in; HttpResponse r = cli.api().call("POST", "/images/load", q, body)) {
            JsonMessages.display(r.body(), cli.out(), false);
        }
        return 0;
    }
}
