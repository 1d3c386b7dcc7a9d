package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;
import dev.berth.oci.image.ImageReference;
import java.io.PrintStream;
import java.util.Map;

/** {@code berth push}: POST /images/{name}/push with docker's progress display. */
public final class PushCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("push", "push [OPTIONS] NAME[:TAG]", "Upload an image to a registry", 1, 1,
                Flag.bool("all-tags", 'a', "Push all tags of an image to the repository"),
                Flag.bool("disable-content-trust", "Skip image signing (default true)"),
                Flag.value("platform", "string", "Push a platform-specific manifest as a single-platform image"),
                Flag.bool("quiet", 'q', "Suppress verbose output"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        ImageReference named = PullCommand.parse(a.arg(0));
        ImageReference given = ImageReference.parseNormalizedNamed(a.arg(0));
        boolean all = a.bool("all-tags");
        if (given.isNameOnly() && !all) {
            cli.out().println("Using default tag: latest");
        }
        Api.Query q = Api.query().put("tag", all ? null : named.tag().orElse("latest")).put("platform", a.string("platform"));
        PrintStream out = a.bool("quiet") ? new PrintStream(java.io.OutputStream.nullOutputStream()) : cli.out();
        try (HttpResponse r = cli.api().call("POST", "/images/" + Api.segment(named.nameOnly().familiar()) + "/push", q, null,
                Map.of("X-Registry-Auth", RegistryAuth.header()))) {
            JsonMessages.display(r.body(), out, cli.isTerminal(1));
        }
        if (a.bool("quiet")) {
            cli.out().println(named.familiar());
        }
        return 0;
    }
}
