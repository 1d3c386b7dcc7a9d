package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Formatter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth history}: GET /images/{name}/history as docker's table. */
public final class HistoryCommand implements Command {
    private static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
        HEADERS.put("ID", "IMAGE");
        HEADERS.put("CreatedSince", "CREATED");
        HEADERS.put("CreatedAt", "CREATED AT");
        HEADERS.put("CreatedBy", "CREATED BY");
        HEADERS.put("Size", "SIZE");
        HEADERS.put("Comment", "COMMENT");
    }

    @Override
    public Spec spec() {
        return Spec.of("history", "history [OPTIONS] IMAGE", "Show the history of an image", 1, 1,
                Flag.value("format", "string", "Format output using a custom template"),
                Flag.bool("human", 'H', "Print sizes and dates in human readable format").withDefault("true"),
                Flag.bool("no-trunc", "Don't truncate output"),
                Flag.bool("quiet", 'q', "Only show image IDs"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        boolean trunc = !a.bool("no-trunc");
        boolean human = a.bool("human");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object h : Api.asList(cli.api().getJson("/images/" + Api.segment(a.arg(0)) + "/history", null))) {
            Map<String, Object> r = new TreeMap<>();
            String id = Api.string(h, "Id");
            r.put("ID", id.startsWith("sha256:") ? (trunc ? ContainerRows.shortId(id) : id) : "<missing>");
            long created = Api.number(h, "Created");
            // docker: an unknown time (0) is "N/A" in the human form
            r.put("CreatedSince", !human ? Instant.ofEpochSecond(created).toString()
                    : created <= 0 ? "N/A" : Units.humanDuration(Instant.now().getEpochSecond() - created) + " ago");
            r.put("CreatedAt", Instant.ofEpochSecond(created).toString());
            String by = Api.string(h, "CreatedBy").replace("\t", " ");
            r.put("CreatedBy", trunc ? ContainerRows.ellipsis(by, 45) : by);
            r.put("Size", human ? Units.humanSize(Api.number(h, "Size")) : String.valueOf(Api.number(h, "Size")));
            r.put("Comment", Api.string(h, "Comment"));
            rows.add(r);
        }
        String format = a.bool("quiet") && a.string("format") == null ? "{{.ID}}" : a.string("format");
        cli.out().print(Formatter.render(format, "{{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}", HEADERS, rows));
        return 0;
    }
}
