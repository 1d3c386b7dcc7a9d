package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code berth system prune}: stopped containers, unused networks, dangling (or, -a, unused) images, with --volumes anonymous volumes; no build cache. */
public final class SystemPruneCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("prune", "prune [OPTIONS]", "Remove unused data", 0, 0,
                Flag.bool("all", 'a', "Remove all unused images not just dangling ones"),
                Flag.list("filter", "filter", "Provide filter values (e.g. \"label=<key>=<value>\")"),
                Flag.bool("force", 'f', "Do not prompt for confirmation"),
                Flag.bool("volumes", "Prune anonymous volumes"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        boolean all = a.bool("all"), volumes = a.bool("volumes");
        if (!a.bool("force")) {
            StringBuilder w = new StringBuilder("WARNING! This will remove:\n  - all stopped containers\n");
            w.append("  - all networks not used by at least one container\n");
            if (volumes) {
                w.append("  - all anonymous volumes not used by at least one container\n");
            }
            w.append(all ? "  - all images without at least one container associated to them\n" : "  - all dangling images\n");
            w.append(all ? "  - all build cache\n" : "  - unused build cache\n");
            if (!NetworkCommands.confirm(cli, w.toString())) {
                return 0;
            }
        }
        List<String> filters = a.list("filter");
        long reclaimed = 0;
        Object c = cli.api().postJson("/containers/prune", Api.query().put("filters", Filters.encode(filters)), null);
        reclaimed += Api.number(c, "SpaceReclaimed");
        block(cli, "Deleted Containers:", Api.list(c, "ContainersDeleted"));
        List<String> networkFilters = new ArrayList<>();
        for (String f : filters) {
            if (f.startsWith("until=") || f.startsWith("label")) {
                networkFilters.add(f);
            }
        }
        block(cli, "Deleted Networks:", NetworkCommands.Prune.prune(cli, networkFilters));
        if (volumes) {
            List<String> volumeFilters = new ArrayList<>();
            for (String f : filters) {
                if (f.startsWith("label")) {
                    volumeFilters.add(f);
                }
            }
            Object v = cli.api().postJson("/volumes/prune", Api.query().put("filters", Filters.encode(volumeFilters)), null);
            reclaimed += Api.number(v, "SpaceReclaimed");
            block(cli, "Deleted Volumes:", Api.list(v, "VolumesDeleted"));
        }
        List<String> imageFilters = new ArrayList<>(filters);
        if (!all) {
            imageFilters.add("dangling=true");
        }
        Object i = cli.api().postJson("/images/prune", Api.query().put("filters", Filters.encode(imageFilters)), null);
        reclaimed += Api.number(i, "SpaceReclaimed");
        List<Object> images = new ArrayList<>();
        for (Object d : Api.list(i, "ImagesDeleted")) {
            if (d instanceof Map<?, ?>) {
                if (!Api.string(d, "Untagged").isEmpty()) {
                    images.add("untagged: " + Api.string(d, "Untagged"));
                }
                if (!Api.string(d, "Deleted").isEmpty()) {
                    images.add("deleted: " + Api.string(d, "Deleted"));
                }
            }
        }
        block(cli, "Deleted Images:", images);
        cli.out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        return 0;
    }

    private static void block(Cli cli, String title, List<Object> lines) {
        if (lines.isEmpty()) {
            return;
        }
        cli.out().println(title);
        for (Object l : lines) {
            cli.out().println(l);
        }
        cli.out().println();
    }
}
