package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.oci.image.ImageReference;
import java.util.Map;

/** {@code berth commit}: POST /commit?container=&repo=&tag=, printing the new image's ID. */
public final class CommitCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("commit", "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes", 1, 2,
                Flag.value("author", 'a', "string", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
                Flag.list("change", 'c', "list", "Apply Dockerfile instruction to the created image"),
                Flag.value("message", 'm', "string", "Commit message"),
                Flag.bool("pause", 'p', "Pause container during commit").withDefault("true"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("container", a.arg(0)).put("comment", a.string("message")).put("author", a.string("author"))
                .put("pause", a.bool("pause"));
        for (String change : a.list("change")) {
            q.put("changes", change);
        }
        if (a.args().size() == 2) {
            try {
                ImageReference ref = ImageReference.parseNormalizedNamed(a.arg(1));
                q.put("repo", ref.nameOnly().familiar()).put("tag", ref.tag().orElse(null));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 1);
            }
        }
        Object answer = cli.api().postJson("/commit", q, Map.of());
        cli.out().println(Api.string(answer, "Id"));
        return 0;
    }
}
