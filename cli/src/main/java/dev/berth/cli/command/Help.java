package dev.berth.cli.command;

import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.flags.Flag;
import java.util.ArrayList;
import java.util.List;

/** --help texts in docker's layout, from the command model. */
public final class Help {
    private Help() {}

    public record Group(String name, String description) {}

    public static Group group(String name) {
        return switch (name) {
            case "container" -> new Group(name, "Manage containers");
            case "image" -> new Group(name, "Manage images");
            case "volume" -> new Group(name, "Manage volumes");
            case "system" -> new Group(name, "Manage Berth");
            case "network" -> new Group(name, "Manage networks");
            default -> null;
        };
    }

    public static String main() {
        StringBuilder s = new StringBuilder();
        s.append("\nUsage:  ").append(Cli.PROGRAM).append(" [OPTIONS] COMMAND\n\n")
                .append("A container engine with docker's command line\n\n");
        s.append("Commands:\n");
        List<String[]> rows = new ArrayList<>();
        try {
            for (String name : Commands.TOP_LEVEL) {
                rows.add(new String[] {name, Commands.topLevel(name).spec().description()});
            }
        } catch (CliException e) {
            throw new IllegalStateException(e);
        }
        s.append(columns(rows));
        s.append("\nEngine:\n");
        s.append(columns(List.<String[]>of(new String[] {"daemon", "Run the Berth engine: the Docker Engine API on a unix socket"})));
        s.append("\nManagement Commands:\n");
        List<String[]> groups = new ArrayList<>();
        for (String g : List.of("container", "image", "network", "system", "volume")) {
            groups.add(new String[] {g, group(g).description()});
        }
        s.append(columns(groups));
        s.append("\nGlobal Options:\n");
        s.append(columns(List.of(
                new String[] {"-D, --debug", "Enable debug mode"},
                new String[] {"-H, --host string", "Daemon socket to connect to (BERTH_HOST, DOCKER_HOST; default " + dev.berth.cli.Host.DEFAULT + ")"},
                new String[] {"-v, --version", "Print version information and quit"})));
        s.append("\nRun '").append(Cli.PROGRAM).append(" COMMAND --help' for more information on a command.\n");
        return s.toString();
    }

    public static String group(Group g) {
        StringBuilder s = new StringBuilder();
        s.append("\nUsage:  ").append(Cli.PROGRAM).append(' ').append(g.name()).append(" COMMAND\n\n").append(g.description()).append("\n\nCommands:\n");
        List<String[]> rows = new ArrayList<>();
        for (String sub : Commands.subcommands(g.name())) {
            try {
                Commands.Resolved r = Commands.resolve(List.of(g.name(), sub));
                rows.add(new String[] {sub, r == null ? "" : r.command().spec().description()});
            } catch (CliException e) {
                rows.add(new String[] {sub, ""});
            }
        }
        s.append(columns(rows));
        s.append("\nRun '").append(Cli.PROGRAM).append(' ').append(g.name()).append(" COMMAND --help' for more information on a command.\n");
        return s.toString();
    }

    public static String command(String fullName, Spec spec) {
        StringBuilder s = new StringBuilder();
        String usage = spec.usage();
        int space = usage.indexOf(' ');
        s.append("\nUsage:  ").append(Cli.PROGRAM).append(' ').append(fullName).append(space < 0 ? "" : usage.substring(space)).append("\n\n");
        s.append(spec.description()).append('\n');
        if (!spec.flags().isEmpty()) {
            s.append("\nOptions:\n");
            List<String[]> rows = new ArrayList<>();
            for (Flag f : spec.flags()) {
                if (f.hidden()) {
                    continue;
                }
                String left = (f.hasShorthand() ? "-" + f.shorthand() + ", " : "    ") + "--" + f.name()
                        + (f.takesValue() ? " " + f.valueName() : "");
                String right = f.usage() + (f.defaultValue() != null && !f.defaultValue().isEmpty() ? " (default " + quoteDefault(f) + ")" : "");
                rows.add(new String[] {left, right});
            }
            s.append(columns(rows));
        }
        return s.toString();
    }

    private static String quoteDefault(Flag f) {
        return "string".equals(f.valueName()) ? "\"" + f.defaultValue() + "\"" : f.defaultValue();
    }

    private static String columns(List<String[]> rows) {
        int width = 0;
        for (String[] r : rows) {
            width = Math.max(width, r[0].length());
        }
        StringBuilder s = new StringBuilder();
        for (String[] r : rows) {
            s.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 3)).append(r[1]).append('\n');
        }
        return s.toString();
    }
}
