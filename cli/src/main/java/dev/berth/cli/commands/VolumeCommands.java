package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Formatter;
import dev.berth.cli.format.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth volume create|ls|inspect|rm|prune} over /volumes. */
public final class VolumeCommands {
    private VolumeCommands() {}

    public static Command of(String sub) {
        return switch (sub) {
            case "create" -> new Create();
            case "ls", "list" -> new Ls();
            case "inspect" -> new Inspect();
            case "rm", "remove" -> new Rm();
            case "prune" -> new PruneCommand("volume");
            default -> null;
        };
    }

    static final class Create implements Command {
        @Override
        public Spec spec() {
            return Spec.of("create", "create [OPTIONS] [VOLUME]", "Create a volume", 0, 1,
                    Flag.value("driver", 'd', "string", "Specify volume driver name").withDefault("local"),
                    Flag.list("label", "list", "Set metadata for a volume"),
                    Flag.value("name", "string", "Specify volume name"),
                    Flag.list("opt", 'o', "map", "Set driver specific options"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            String name = a.args().isEmpty() ? a.string("name") : a.arg(0);
            if (!a.args().isEmpty() && a.has("name") && !a.string("name").equals(a.arg(0))) {
                throw new CliException("conflicting options: cannot specify a volume-name through both --name and as a positional arg", 1);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Name", name == null ? "" : name);
            body.put("Driver", a.string("driver"));
            body.put("DriverOpts", pairs(a.list("opt")));
            body.put("Labels", pairs(a.list("label")));
            Object v = cli.api().postJson("/volumes/create", null, body);
            cli.out().println(Api.string(v, "Name"));
            return 0;
        }
    }

    static final class Ls implements Command {
        @Override
        public Spec spec() {
            return Spec.of("ls", "ls [OPTIONS]", "List volumes", 0, 0,
                    Flag.list("filter", 'f', "filter", "Provide filter values (e.g. \"dangling=true\")"),
                    Flag.value("format", "string", "Format output using a custom template"),
                    Flag.bool("quiet", 'q', "Only display volume names"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            Object answer = cli.api().getJson("/volumes", Api.query().put("filters", Filters.encode(a.list("filter"))));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object v : Api.list(answer, "Volumes")) {
                Map<String, Object> r = new TreeMap<>();
                r.put("Name", Api.string(v, "Name"));
                r.put("Driver", Api.string(v, "Driver"));
                r.put("Scope", Api.string(v, "Scope"));
                r.put("Mountpoint", Api.string(v, "Mountpoint"));
                r.put("Labels", ContainerRows.labels(Api.get(v, "Labels")));
                r.put("Links", "N/A");
                r.put("Size", "N/A");
                rows.add(r);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Driver", "DRIVER");
            headers.put("Name", "VOLUME NAME");
            headers.put("Scope", "SCOPE");
            headers.put("Mountpoint", "MOUNTPOINT");
            headers.put("Labels", "LABELS");
            headers.put("Links", "LINKS");
            headers.put("Size", "SIZE");
            String format = a.bool("quiet") && a.string("format") == null ? "{{.Name}}" : a.string("format");
            cli.out().print(Formatter.render(format, "{{.Driver}}\t{{.Name}}", headers, rows));
            for (Object w : Api.list(answer, "Warnings")) {
                cli.err().println(w);
            }
            return 0;
        }
    }

    static final class Inspect implements Command {
        @Override
        public Spec spec() {
            return Spec.of("inspect", "inspect [OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes", 1, -1,
                    Flag.value("format", 'f', "string", "Format output using a custom template"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            Template t = a.string("format") == null ? null : Template.parse(a.string("format"));
            return InspectOutput.print(cli, t, a.args(), name -> cli.api().getJson("/volumes/" + Api.segment(name), null));
        }
    }

    static final class Rm implements Command {
        @Override
        public Spec spec() {
            return Spec.of("rm", "rm [OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes", 1, -1,
                    Flag.bool("force", 'f', "Force the removal of one or more volumes"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            Api.Query q = Api.query().put("force", a.bool("force") ? Boolean.TRUE : null);
            return EachContainer.run(cli, a.args(), name -> cli.api().send("DELETE", "/volumes/" + Api.segment(name), q));
        }
    }

    private static Map<String, String> pairs(List<String> list) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : list) {
            int eq = s.indexOf('=');
            m.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
        }
        return m;
    }
}
