package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code berth export}: GET /containers/{id}/export, a tar of the container's filesystem, to -o or stdout. */
public final class ExportCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("export", "export [OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive", 1, 1,
                Flag.value("output", 'o', "string", "Write to a file, instead of STDOUT"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String output = a.string("output");
        if (output == null && cli.isTerminal(1)) {
            throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
        try (HttpResponse r = cli.api().call("GET", "/containers/" + Api.segment(a.arg(0)) + "/export", null, null)) {
            if (output == null) {
                r.body().transferTo(cli.out());
            } else {
                try (OutputStream out = Files.newOutputStream(Path.of(output))) {
                    r.body().transferTo(out);
                }
            }
        }
        return 0;
    }
}
