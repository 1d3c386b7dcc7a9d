package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Formatter;
import dev.berth.cli.format.Row;
import dev.berth.cli.format.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth system df}: GET /system/df summarised per type, as docker's default table. */
public final class DfCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("df", "df [OPTIONS]", "Show docker disk usage", 0, 0,
                Flag.value("format", "string", "Format output using a custom template"),
                Flag.bool("verbose", 'v', "Show detailed information on space usage"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Object df = cli.api().getJson("/system/df", null);
        if (a.bool("verbose")) {
            return verbose(cli, df, a.string("format"));
        }
        List<Map<String, Object>> rows = new ArrayList<>();

        // Images: in use when a container has them; an image in use frees only what it does not
        // share with another image (its SharedSize; -1 means unknown, and the whole image counts).
        List<Object> images = Api.list(df, "Images");
        long layersSize = Api.number(df, "LayersSize");
        long activeImages = 0;
        long imagesInUse = 0;
        for (Object i : images) {
            if (Api.number(i, "Containers") > 0) {
                activeImages++;
                long shared = Api.number(i, "SharedSize");
                if (shared >= 0) {
                    imagesInUse += Api.number(i, "Size") - shared;
                }
            }
        }
        rows.add(row("Images", images.size(), activeImages, layersSize, layersSize - imagesInUse));

        // Containers: a running, paused or restarting one cannot be removed.
        List<Object> containers = Api.list(df, "Containers");
        long containerSize = 0;
        long active = 0;
        long inactiveSize = 0;
        for (Object c : containers) {
            long rw = Api.number(c, "SizeRw");
            containerSize += rw;
            if (List.of("running", "paused", "restarting").contains(Api.string(c, "State"))) {
                active++;
            } else {
                inactiveSize += rw;
            }
        }
        rows.add(row("Containers", containers.size(), active, containerSize, inactiveSize));

        // Volumes: in use when a container refers to them; a size of -1 is unknown.
        List<Object> volumes = Api.list(df, "Volumes");
        long volumeSize = 0;
        long usedVolumes = 0;
        long unusedSize = 0;
        for (Object v : volumes) {
            long size = Api.number(v, "UsageData", "Size");
            boolean used = Api.number(v, "UsageData", "RefCount") > 0;
            usedVolumes += used ? 1 : 0;
            if (size >= 0) {
                volumeSize += size;
                unusedSize += used ? 0 : size;
            }
        }
        rows.add(row("Local Volumes", volumes.size(), usedVolumes, volumeSize, unusedSize));
        rows.add(row("Build Cache", Api.list(df, "BuildCache").size(), 0, 0, 0));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Type", "TYPE");
        headers.put("TotalCount", "TOTAL");
        headers.put("Active", "ACTIVE");
        headers.put("Size", "SIZE");
        headers.put("Reclaimable", "RECLAIMABLE");
        cli.out().print(Formatter.render(a.string("format"), "{{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", headers, rows));
        return 0;
    }

    /**
     * {@code -v}: a table per kind, as docker's verbose df (an image shows its first tag only,
     * a container its own size without the virtual one); with --format, the template gets one
     * value holding the four lists of rows.
     */
    private static int verbose(Cli cli, Object df, String format) throws Exception {
        boolean trunc = format == null || format.isBlank(); // a template gets the full IDs, as docker's
        List<Map<String, Object>> images = new ArrayList<>();
        for (Object i : Api.list(df, "Images")) {
            List<Object> tags = Api.list(i, "RepoTags");
            String repoTag = tags.isEmpty() ? "<none>:<none>" : String.valueOf(tags.getFirst());
            int colon = repoTag.lastIndexOf(':');
            images.add(new Row(ImagesCommand.row(i, repoTag.substring(0, colon), repoTag.substring(colon + 1), "", trunc)));
        }
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Object c : Api.list(df, "Containers")) {
            Map<String, Object> r = ContainerRows.row(c, trunc);
            r.put("Size", Units.humanSize(Api.number(c, "SizeRw")));
            containers.add(new Row(r));
        }
        List<Map<String, Object>> volumes = new ArrayList<>();
        for (Object v : Api.list(df, "Volumes")) {
            volumes.add(new Row(VolumeCommands.row(v)));
        }
        if (format != null && !format.isBlank()) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("Images", images);
            all.put("Containers", containers);
            all.put("Volumes", volumes);
            all.put("BuildCache", List.of());
            // one value, not a listing: the template runs once on it, its fields in docker's order
            String f = format.equals("json") ? "{{json .}}" : format.replace("\\t", "\t").replace("\\n", "\n");
            cli.out().println(Template.parse(f).execute(all));
            return 0;
        }
        Map<String, String> cacheHeaders = new LinkedHashMap<>();
        for (String[] h : new String[][] {{"ID", "CACHE ID"}, {"CacheType", "CACHE TYPE"}, {"Size", "SIZE"},
                {"CreatedSince", "CREATED"}, {"LastUsedSince", "LAST USED"}, {"UsageCount", "USAGE"}, {"Shared", "SHARED"}}) {
            cacheHeaders.put(h[0], h[1]);
        }
        cli.out().print("Images space usage:\n\n"
                + Formatter.render(null, "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}",
                        ImagesCommand.HEADERS, images)
                + "\nContainers space usage:\n\n"
                + Formatter.render(null, "{{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
                        ContainerRows.HEADERS, containers)
                + "\nLocal Volumes space usage:\n\n"
                + Formatter.render(null, "{{.Name}}\t{{.Links}}\t{{.Size}}", VolumeCommands.HEADERS, volumes)
                + "\nBuild cache usage: 0B\n\n"
                + Formatter.render(null, "{{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
                        cacheHeaders, List.of()));
        return 0;
    }

    /** One line of the table, sizes as docker's df writes them: go-units HumanSize (4 digits), and the share of the total. */
    private static Map<String, Object> row(String type, long total, long active, long size, long reclaimable) {
        Map<String, Object> r = new TreeMap<>();
        r.put("Type", type);
        r.put("TotalCount", String.valueOf(total));
        r.put("Active", String.valueOf(active));
        r.put("Size", Units.humanSize(size, 4));
        r.put("Reclaimable", Units.humanSize(reclaimable, 4) + (size > 0 ? " (" + reclaimable * 100 / size + "%)" : ""));
        return r;
    }
}
