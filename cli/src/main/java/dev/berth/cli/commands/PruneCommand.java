package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import java.io.BufferedReader;
import java.io.InputStreamReader;

/** {@code container prune}, {@code image prune}, {@code volume prune}: POST /{kind}s/prune after docker's confirmation prompt. */
public final class PruneCommand implements Command {
    private final String kind;

    public PruneCommand(String kind) {
        this.kind = kind;
    }

    @Override
    public Spec spec() {
        Flag filter = Flag.list("filter", "filter", "Provide filter values (e.g. \"until=<timestamp>\")");
        Flag force = Flag.bool("force", 'f', "Do not prompt for confirmation");
        Flag[] flags = switch (kind) {
            case "image" -> new Flag[] {Flag.bool("all", 'a', "Remove all unused images, not just dangling ones"), filter, force};
            case "volume" -> new Flag[] {Flag.bool("all", 'a', "Remove all unused volumes, not just anonymous ones"), filter, force};
            default -> new Flag[] {filter, force};
        };
        return Spec.of("prune", "prune [OPTIONS]", "Remove " + (kind.equals("image") ? "unused images" : kind.equals("volume")
                ? "unused local volumes" : "all stopped containers"), 0, 0, flags);
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        if (!a.bool("force")) {
            String what = switch (kind) {
                case "image" -> a.bool("all") ? "all images without at least one container associated to them" : "all dangling images";
                case "volume" -> (a.bool("all") ? "all" : "anonymous") + " local volumes not used by at least one container";
                default -> "all stopped containers";
            };
            cli.out().print("WARNING! This will remove " + what + ".\nAre you sure you want to continue? [y/N] ");
            cli.out().flush();
            String answer = new BufferedReader(new InputStreamReader(cli.in())).readLine();
            if (answer == null || !answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
                return 0;
            }
        }
        java.util.List<String> filters = new java.util.ArrayList<>(a.list("filter"));
        if (kind.equals("image") && !a.bool("all")) {
            filters.add("dangling=true");
        }
        if (kind.equals("volume") && a.bool("all")) {
            filters.add("all=true"); // the daemon takes named volumes too only when asked, as dockerd 23+
        }
        Object answer = cli.api().postJson("/" + kind + "s/prune", Api.query().put("filters", Filters.encode(filters)), null);
        String listKey = switch (kind) {
            case "image" -> "ImagesDeleted";
            case "volume" -> "VolumesDeleted";
            default -> "ContainersDeleted";
        };
        java.util.List<Object> deleted = Api.list(answer, listKey);
        if (!deleted.isEmpty()) {
            cli.out().println(switch (kind) {
                case "image" -> "Deleted Images:";
                case "volume" -> "Deleted Volumes:";
                default -> "Deleted Containers:";
            });
            for (Object d : deleted) {
                if (d instanceof java.util.Map<?, ?>) {
                    if (!Api.string(d, "Untagged").isEmpty()) {
                        cli.out().println("untagged: " + Api.string(d, "Untagged"));
                    }
                    if (!Api.string(d, "Deleted").isEmpty()) {
                        cli.out().println("deleted: " + Api.string(d, "Deleted"));
                    }
                } else {
                    cli.out().println(d);
                }
            }
            cli.out().println();
        }
        cli.out().println("Total reclaimed space: " + Units.humanSize(Api.number(answer, "SpaceReclaimed")));
        return 0;
    }
}
