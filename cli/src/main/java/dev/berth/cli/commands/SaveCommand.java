package dev.berth.cli.commands;

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
import java.nio.file.StandardCopyOption;

/** {@code berth save}: GET /images/get as a tar archive, to -o or to stdout (never to a terminal). */
public final class SaveCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("save", "save [OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)", 1, -1,
                Flag.value("output", 'o', "string", "Write to a file, instead of STDOUT"),
                Flag.value("platform", "string", "Save only the given platform variant").hide());
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        String output = a.string("output");
        if (output == null && cli.isTerminal(1)) {
            throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
        StringBuilder names = new StringBuilder();
        for (String name : a.args()) {
            names.append(names.isEmpty() ? "?" : "&").append("names=").append(java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8));
        }
        if (a.string("platform") != null) {
            names.append("&platform=").append(java.net.URLEncoder.encode(a.string("platform"), java.nio.charset.StandardCharsets.UTF_8));
        }
        try (HttpResponse r = cli.api().call("GET", "/images/get" + names, null, null)) {
            if (output == null) {
                cli.out().flush();
                r.body().transferTo(cli.out());
                cli.out().flush();
            } else {
                // Into a temporary file beside the target, renamed at the end: a failed save leaves no half archive.
                Path target = Path.of(output).toAbsolutePath();
                Path tmp = Files.createTempFile(target.getParent(), ".berth-save", ".tar");
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    r.body().transferTo(out);
                } catch (java.io.IOException e) {
                    Files.deleteIfExists(tmp);
                    throw e;
                }
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return 0;
    }
}
