package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.Version;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Template;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code berth version}: the client's and the daemon's versions, in docker's layout. */
public final class VersionCommand implements Command {
    @Override
    public Spec spec() {
        return Spec.of("version", "version [OPTIONS]", "Show the Berth version information", 0, 0,
                Flag.value("format", 'f', "string", "Format output using a custom template"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("Platform", Map.of("Name", ""));
        client.put("Version", Version.CLIENT);
        client.put("ApiVersion", Api.VERSION);
        client.put("DefaultAPIVersion", Api.VERSION);
        client.put("GitCommit", Version.COMMIT);
        client.put("GoVersion", "java" + Runtime.version().feature());
        client.put("Os", "linux");
        client.put("Arch", arch());
        client.put("BuildTime", "");
        client.put("Context", "default");
        Object server = null;
        CliException failure = null;
        try {
            server = cli.api().getJson("/version", null);
        } catch (CliException e) {
            failure = e;
        }
        String format = a.string("format");
        if (format != null) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("Client", client);
            data.put("Server", server);
            cli.out().println(Template.parse(format.replace("\\t", "\t").replace("\\n", "\n")).execute(data));
        } else {
            print(cli, client, server);
        }
        if (failure != null) {
            throw failure;
        }
        return 0;
    }

    private static void print(Cli cli, Map<String, Object> c, Object s) {
        var out = cli.out();
        out.println("Client:");
        row(out, " Version:", c.get("Version"));
        row(out, " API version:", c.get("ApiVersion"));
        row(out, " Java version:", c.get("GoVersion"));
        row(out, " Git commit:", c.get("GitCommit"));
        row(out, " Built:", c.get("BuildTime"));
        row(out, " OS/Arch:", c.get("Os") + "/" + c.get("Arch"));
        row(out, " Context:", c.get("Context"));
        if (s == null) {
            return;
        }
        out.println();
        out.println("Server: " + Api.string(s, "Platform", "Name"));
        for (Object comp : Api.list(s, "Components")) {
            out.println(" " + Api.string(comp, "Name") + ":");
            if (Api.string(comp, "Name").equals("Engine")) {
                row(out, "  Version:", Api.string(s, "Version"));
                row(out, "  API version:", Api.string(s, "ApiVersion") + " (minimum version " + Api.string(s, "MinAPIVersion") + ")");
                row(out, "  Java version:", Api.string(s, "GoVersion"));
                row(out, "  Git commit:", Api.string(s, "GitCommit"));
                row(out, "  Built:", Api.string(s, "BuildTime"));
                row(out, "  OS/Arch:", Api.string(s, "Os") + "/" + Api.string(s, "Arch"));
                row(out, "  Experimental:", String.valueOf(Boolean.TRUE.equals(Api.get(s, "Experimental"))));
            } else {
                row(out, "  Version:", Api.string(comp, "Version"));
            }
        }
    }

    private static void row(java.io.PrintStream out, String label, Object value) {
        out.println(label + " ".repeat(Math.max(1, 20 - label.length())) + value);
    }

    private static String arch() {
        return "aarch64".equals(System.getProperty("os.arch")) ? "arm64" : "amd64";
    }
}
