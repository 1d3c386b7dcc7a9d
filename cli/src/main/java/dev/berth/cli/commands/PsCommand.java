package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Formatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code berth ps}: list containers (GET /containers/json) as docker's table or a --format template. */
public final class PsCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("ps", "ps [OPTIONS]", "List containers", 0, 0,
                Flag.bool("all", 'a', "Show all containers (default shows just running)"),
                Flag.list("filter", 'f', "filter", "Filter output based on conditions provided"),
                Flag.value("format", "string", "Format output using a custom template:\n"
                        + "                        'table':            Print output in table format with column headers (default)\n"
                        + "                        'table TEMPLATE':   Print output in table format using the given Go template\n"
                        + "                        'json':             Print in JSON format\n"
                        + "                        'TEMPLATE':         Print output using the given Go template"),
                Flag.value("last", 'n', "int", "Show n last created containers (includes all states)").withDefault("-1"),
                Flag.bool("latest", 'l', "Show the latest created container (includes all states)"),
                Flag.bool("no-trunc", "Don't truncate output"),
                Flag.bool("quiet", 'q', "Only display container IDs"),
                Flag.bool("size", 's', "Display total file sizes"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        int last = a.bool("latest") ? 1 : a.integer("last", -1);
        String format = a.string("format");
        // As docker: sizes cost the daemon a walk of each layer, so they are asked for only when
        // shown: -s, or a template that uses .Size, or hands the whole row to json.
        boolean size = a.bool("size") || (format != null && (format.contains(".Size") || format.replace(" ", "").contains("json.}}")));
        Api.Query q = Api.query().put("all", a.bool("all") || last > 0 ? Boolean.TRUE : null)
                .put("limit", last > 0 ? last : null)
                .put("size", size ? Boolean.TRUE : null)
                .put("filters", Filters.encode(a.list("filter")));
        List<Object> containers = Api.asList(cli.api().getJson("/containers/json", q));
        if (last > 0 && containers.size() > last) {
            containers = containers.subList(0, last);
        }
        boolean trunc = !a.bool("no-trunc");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object c : containers) {
            rows.add(ContainerRows.row(c, trunc));
        }
        if (a.bool("quiet") && format == null) {
            format = "{{.ID}}";
        }
        String table = ContainerRows.DEFAULT_TABLE + (a.bool("size") ? "\t{{.Size}}" : "");
        cli.out().print(Formatter.render(format, table, ContainerRows.HEADERS, rows));
        return 0;
    }
}
