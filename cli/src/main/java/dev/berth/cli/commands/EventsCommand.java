package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.JsonParser;
import dev.berth.cli.format.Template;
import dev.berth.cli.http.HttpResponse;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth events}: GET /events, one line per event in docker's layout or through --format. */
public final class EventsCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("events", "events [OPTIONS]", "Get real time events from the server", 0, 0,
                Flag.list("filter", 'f', "filter", "Filter output based on conditions provided"),
                Flag.value("format", "string", "Format output using a custom template"),
                Flag.value("since", "string", "Show all events created since timestamp"),
                Flag.value("until", "string", "Stream events until this timestamp"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("since", a.string("since")).put("until", a.string("until")).put("filters", Filters.encode(a.list("filter")));
        String format = a.string("format");
        Template template = format == null ? null : Template.parse(format.equals("json") ? "{{json .}}" : format);
        try (HttpResponse r = cli.api().call("GET", "/events", q, null)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                Object e = JsonParser.parse(line);
                cli.out().println(template != null ? template.execute(e) : plain(e));
                cli.out().flush();
            }
        }
        return 0;
    }

    /** "2026-11-22T18:50:00.000000000Z container start <id> (image=busybox, name=x)". */
    private static String plain(Object e) {
        long nanos = Api.number(e, "timeNano");
        Instant t = nanos > 0 ? Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L) : Instant.ofEpochSecond(Api.number(e, "time"));
        StringBuilder s = new StringBuilder();
        s.append(t).append(' ').append(Api.string(e, "Type")).append(' ').append(Api.string(e, "Action")).append(' ')
                .append(Api.string(e, "Actor", "ID"));
        if (Api.get(e, "Actor", "Attributes") instanceof Map<?, ?> attrs && !attrs.isEmpty()) {
            List<String> kv = new ArrayList<>();
            for (Map.Entry<?, ?> x : new TreeMap<>(attrs).entrySet()) {
                kv.add(x.getKey() + "=" + x.getValue());
            }
            s.append(" (").append(String.join(", ", kv)).append(')');
        }
        return s.toString();
    }
}
