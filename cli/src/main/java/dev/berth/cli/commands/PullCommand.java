package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.http.HttpResponse;
import dev.berth.oci.image.ImageReference;
import java.io.PrintStream;
import java.util.Map;

/** {@code berth pull}: POST /images/create with docker's progress display; prints the full reference at the end. */
public final class PullCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("pull", "pull [OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", 1, 1,
                Flag.bool("all-tags", 'a', "Download all tagged images in the repository"),
                Flag.bool("disable-content-trust", "Skip image verification (default true)"),
                Flag.value("platform", "string", "Set platform if server is multi-platform capable"),
                Flag.bool("quiet", 'q', "Suppress verbose output"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        if (a.bool("all-tags")) {
            throw new CliException("pull --all-tags is not supported", 1);
        }
        ImageReference ref = parse(a.arg(0));
        if (ImageReference.parseNormalizedNamed(a.arg(0)).isNameOnly() && !a.bool("quiet")) {
            cli.out().println("Using default tag: latest");
        }
        PrintStream progress = a.bool("quiet") ? new PrintStream(java.io.OutputStream.nullOutputStream()) : cli.out();
        pull(cli, ref, a.string("platform"), progress, cli.isTerminal(1));
        cli.out().println(ref);
        return 0;
    }

    static ImageReference parse(String name) throws CliException {
        try {
            return ImageReference.parse(name);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 1);
        }
    }

    /** Pulls {@code ref}, showing the daemon's progress on {@code out}. */
    static void pull(Cli cli, ImageReference ref, String platform, PrintStream out, boolean terminal) throws Exception {
        String from = ref.nameOnly().toString();
        String tag = ref.digest().isPresent() ? ref.digest().get().toString() : ref.tag().orElse("latest");
        Api.Query q = Api.query().put("fromImage", from).put("tag", tag).put("platform", platform);
        try (HttpResponse r = cli.api().call("POST", "/images/create", q, null, Map.of("X-Registry-Auth", RegistryAuth.header()))) {
            JsonMessages.display(r.body(), out, terminal);
        }
    }
}
