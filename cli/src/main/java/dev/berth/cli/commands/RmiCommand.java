package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import java.util.List;

/** {@code berth rmi}: DELETE /images/{name}, printing docker's "Untagged:" and "Deleted:" lines. */
public final class RmiCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("rmi", "rmi [OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", 1, -1,
                Flag.bool("force", 'f', "Force removal of the image"),
                Flag.bool("no-prune", "Do not delete untagged parents"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("force", a.bool("force") ? Boolean.TRUE : null).put("noprune", a.bool("no-prune") ? Boolean.TRUE : null);
        boolean failed = false;
        for (String name : a.args()) {
            try (var r = cli.api().call("DELETE", "/images/" + Api.segment(name), q, null)) {
                String text = r.bodyText();
                List<Object> items = text.isBlank() ? List.of() : Api.asList(dev.berth.cli.format.JsonParser.parse(text));
                for (Object item : items) {
                    if (!Api.string(item, "Untagged").isEmpty()) {
                        cli.out().println("Untagged: " + Api.string(item, "Untagged"));
                    }
                    if (!Api.string(item, "Deleted").isEmpty()) {
                        cli.out().println("Deleted: " + Api.string(item, "Deleted"));
                    }
                }
            } catch (CliException e) {
                cli.out().flush();
                cli.err().println(e.getMessage());
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }
}
