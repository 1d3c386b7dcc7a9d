package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
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

/**
 * {@code berth stats}: resource usage from GET /containers/{id}/stats?stream=0, computed as
 * docker's stats formatter does (CPU % from the two samples, memory without the page cache).
 * Without --no-stream the table is redrawn every second, in place on a terminal.
 */
public final class StatsCommand implements Command {
    private static final String TABLE = "{{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    private static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
        HEADERS.put("ID", "CONTAINER ID");
        HEADERS.put("Container", "CONTAINER");
        HEADERS.put("Name", "NAME");
        HEADERS.put("CPUPerc", "CPU %");
        HEADERS.put("MemUsage", "MEM USAGE / LIMIT");
        HEADERS.put("MemPerc", "MEM %");
        HEADERS.put("NetIO", "NET I/O");
        HEADERS.put("BlockIO", "BLOCK I/O");
        HEADERS.put("PIDs", "PIDS");
    }

    @Override
    public Spec spec() {
        return Spec.of("stats", "stats [OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", 0, -1,
                Flag.bool("all", 'a', "Show all containers (default shows just running)"),
                Flag.value("format", "string", "Format output using a custom template"),
                Flag.bool("no-stream", "Disable streaming stats and only pull the first result"),
                Flag.bool("no-trunc", "Do not truncate output"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        boolean terminal = cli.isTerminal(1);
        while (true) {
            List<String> names = new ArrayList<>(a.args());
            if (names.isEmpty()) {
                for (Object c : Api.asList(cli.api().getJson("/containers/json", Api.query().put("all", a.bool("all") ? Boolean.TRUE : null)))) {
                    names.add(Api.string(c, "Id"));
                }
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String name : names) {
                Object s = cli.api().getJson("/containers/" + Api.segment(name) + "/stats", Api.query().put("stream", false));
                rows.add(row(s, name, !a.bool("no-trunc")));
            }
            String text = Formatter.render(a.string("format"), TABLE, HEADERS, rows);
            if (a.bool("no-stream")) {
                cli.out().print(text);
                return 0;
            }
            cli.out().print((terminal ? "\u001b[2J\u001b[H" : "") + text);
            cli.out().flush();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                throw new CliException("interrupted", 1);
            }
        }
    }

    static Map<String, Object> row(Object s, String given, boolean trunc) {
        Map<String, Object> r = new TreeMap<>();
        String id = Api.string(s, "id");
        r.put("ID", trunc ? ContainerRows.shortId(id) : id);
        r.put("Container", given);
        String name = Api.string(s, "name");
        r.put("Name", name.startsWith("/") ? name.substring(1) : name);
        double cpuDelta = Api.number(s, "cpu_stats", "cpu_usage", "total_usage") - Api.number(s, "precpu_stats", "cpu_usage", "total_usage");
        double systemDelta = Api.number(s, "cpu_stats", "system_cpu_usage") - Api.number(s, "precpu_stats", "system_cpu_usage");
        long cpus = Api.number(s, "cpu_stats", "online_cpus");
        if (cpus == 0) {
            cpus = Api.list(s, "cpu_stats", "cpu_usage", "percpu_usage").size();
        }
        double cpu = systemDelta > 0 && cpuDelta > 0 ? cpuDelta / systemDelta * cpus * 100 : 0;
        r.put("CPUPerc", String.format("%.2f%%", cpu));
        long usage = Api.number(s, "memory_stats", "usage");
        // docker's calculateMemUsageUnixNoCache: v1 subtracts total_inactive_file, v2 inactive_file
        long cache = Api.number(s, "memory_stats", "stats", "total_inactive_file");
        if (cache == 0) {
            cache = Api.number(s, "memory_stats", "stats", "inactive_file");
        }
        if (cache < usage) {
            usage -= cache;
        }
        long limit = Api.number(s, "memory_stats", "limit");
        r.put("MemUsage", Units.bytesSize(usage) + " / " + Units.bytesSize(limit));
        r.put("MemPerc", String.format("%.2f%%", limit > 0 ? usage * 100.0 / limit : 0));
        long rx = 0;
        long tx = 0;
        if (Api.get(s, "networks") instanceof Map<?, ?> nets) {
            for (Object n : nets.values()) {
                rx += Api.number(n, "rx_bytes");
                tx += Api.number(n, "tx_bytes");
            }
        }
        r.put("NetIO", Units.humanSize(rx) + " / " + Units.humanSize(tx));
        long read = 0;
        long write = 0;
        for (Object e : Api.list(s, "blkio_stats", "io_service_bytes_recursive")) {
            String op = Api.string(e, "op").toLowerCase(java.util.Locale.ROOT);
            if (op.equals("read")) {
                read += Api.number(e, "value");
            } else if (op.equals("write")) {
                write += Api.number(e, "value");
            }
        }
        r.put("BlockIO", Units.humanSize(read) + " / " + Units.humanSize(write));
        r.put("PIDs", String.valueOf(Api.number(s, "pids_stats", "current")));
        return r;
    }
}
