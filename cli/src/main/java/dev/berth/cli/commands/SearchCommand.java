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

/**
 * {@code berth search}: GET /images/search, docker's table. The search is the daemon's to make
 * (Berth's answers that it does not search; a registry's search API is Docker Hub's alone).
 */
public final class SearchCommand implements Command {
    private static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
        HEADERS.put("Name", "NAME");
        HEADERS.put("Description", "DESCRIPTION");
        HEADERS.put("StarCount", "STARS");
        HEADERS.put("IsOfficial", "OFFICIAL");
    }

    @Override
    public Spec spec() {
        return Spec.of("search", "search [OPTIONS] TERM", "Search Docker Hub for images", 1, 1,
                Flag.list("filter", 'f', "filter", "Filter output based on conditions provided"),
                Flag.value("format", "string", "Pretty-print search using a Go template"),
                Flag.value("limit", "int", "Max number of search results"),
                Flag.bool("no-trunc", "Don't truncate output"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("term", a.arg(0)).put("limit", a.has("limit") ? a.integer("limit", 0) : null)
                .put("filters", Filters.encode(a.list("filter")));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object r : Api.asList(cli.api().getJson("/images/search", q))) {
            Map<String, Object> row = new TreeMap<>();
            String description = Api.string(r, "description").replace("\n", " ");
            row.put("Name", Api.string(r, "name"));
            row.put("Description", a.bool("no-trunc") ? description : ContainerRows.ellipsis(description, 45));
            row.put("StarCount", String.valueOf(Api.number(r, "star_count")));
            row.put("IsOfficial", Boolean.TRUE.equals(Api.get(r, "is_official")) ? "[OK]" : "");
            rows.add(row);
        }
        cli.out().print(Formatter.render(a.string("format"), "{{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}", HEADERS, rows));
        return 0;
    }
}
