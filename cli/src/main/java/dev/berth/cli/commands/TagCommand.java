package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.oci.image.ImageReference;

/** {@code berth tag}: POST /images/{source}/tag?repo=&tag=. */
public final class TagCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("tag", "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", 2, 2);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        ImageReference target;
        try {
            target = ImageReference.parseNormalizedNamed(a.arg(1));
        } catch (IllegalArgumentException e) {
            throw new CliException("Error parsing reference: \"" + a.arg(1) + "\" is not a valid repository/tag: " + e.getMessage(), 1);
        }
        if (target.digest().isPresent()) {
            throw new CliException("refusing to create a tag with a digest reference", 1);
        }
        Api.Query q = Api.query().put("repo", target.nameOnly().familiar()).put("tag", target.tag().orElse("latest"));
        cli.api().send("POST", "/images/" + Api.segment(a.arg(0)) + "/tag", q);
        return 0;
    }
}
