package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Formatter;
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
                Flag.value("format", "string", "Format output using a custom template"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Object df = cli.api().getJson("/system/df", null);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Object> images = Api.list(df, "Images");
        long imageSize = 0;
        long activeImages = 0;
        for (Object i : images) {
            imageSize += Api.number(i, "Size");
            if (Api.number(i, "Containers") > 0) {
                activeImages++;
            }
        }
        rows.add(row("Images", images.size(), activeImages, imageSize));
        List<Object> containers = Api.list(df, "Containers");
        long containerSize = 0;
        long running = 0;
        for (Object c : containers) {
            containerSize += Api.number(c, "SizeRw");
            if (Api.string(c, "State").equals("running")) {
                running++;
            }
        }
        rows.add(row("Containers", containers.size(), running, containerSize));
        List<Object> volumes = Api.list(df, "Volumes");
        long volumeSize = 0;
        for (Object v : volumes) {
            volumeSize += Math.max(0, Api.number(v, "UsageData", "Size"));
        }
        rows.add(row("Local Volumes", volumes.size(), 0, volumeSize));
        rows.add(row("Build Cache", Api.list(df, "BuildCache").size(), 0, 0));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Type", "TYPE");
        headers.put("TotalCount", "TOTAL");
        headers.put("Active", "ACTIVE");
        headers.put("Size", "SIZE");
        headers.put("Reclaimable", "RECLAIMABLE");
        cli.out().print(Formatter.render(a.string("format"), "{{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}", headers, rows));
        return 0;
    }

    private static Map<String, Object> row(String type, long total, long active, long size) {
        Map<String, Object> r = new TreeMap<>();
        r.put("Type", type);
        r.put("TotalCount", String.valueOf(total));
        r.put("Active", String.valueOf(active));
        r.put("Size", Units.humanSize(size));
        r.put("Reclaimable", Units.humanSize(active == 0 ? size : 0));
        return r;
    }
}
