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
                    Flag.value("name", "string", "Specify volume name").hide(),
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
            body.put("DriverOpts", KeyValues.parse(a.list("opt")));
            body.put("Labels", KeyValues.parse(a.list("label")));
            Object v = cli.api().postJson("/volumes/create", null, body);
            cli.out().println(Api.string(v, "Name"));
            return 0;
        }
    }

    static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
        HEADERS.put("Driver", "DRIVER");
        HEADERS.put("Name", "VOLUME NAME");
        HEADERS.put("Scope", "SCOPE");
        HEADERS.put("Mountpoint", "MOUNTPOINT");
        HEADERS.put("Labels", "LABELS");
        HEADERS.put("Links", "LINKS");
        HEADERS.put("Size", "SIZE");
    }

    /** One volume as docker's formatter sees it: links and size only where the answer has UsageData (system df). */
    static Map<String, Object> row(Object v) {
        Map<String, Object> r = new TreeMap<>();
        r.put("Name", Api.string(v, "Name"));
        r.put("Driver", Api.string(v, "Driver"));
        r.put("Scope", Api.string(v, "Scope"));
        r.put("Mountpoint", Api.string(v, "Mountpoint"));
        r.put("Labels", ContainerRows.labels(Api.get(v, "Labels")));
        boolean usage = Api.get(v, "UsageData") != null;
        r.put("Links", usage ? String.valueOf(Api.number(v, "UsageData", "RefCount")) : "N/A");
        r.put("Size", usage ? Units.humanSize(Api.number(v, "UsageData", "Size"), 4) : "N/A");
        // a cluster volume's fields, which docker lists for every volume
        r.put("Availability", "N/A");
        r.put("Group", "N/A");
        r.put("Status", "N/A");
        return r;
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
                rows.add(row(v));
            }
            String format = a.bool("quiet") && a.string("format") == null ? "{{.Name}}" : a.string("format");
            cli.out().print(Formatter.render(format, "{{.Driver}}\t{{.Name}}", HEADERS, rows));
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
}
