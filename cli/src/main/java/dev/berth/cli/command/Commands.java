package dev.berth.cli.command;

import dev.berth.cli.CliException;
import dev.berth.cli.commands.*;
import java.util.ArrayList;
import java.util.List;

/**
 * The command model: every top-level verb and every management form ({@code container ls},
 * {@code image rm}, {@code volume create}) mapped to its class. A switch rather than a table of
 * lambdas: only the class of the command being run is loaded.
 */
public final class Commands {
    /** The top-level verbs, in the order `berth --help` lists them. */
    public static final List<String> TOP_LEVEL = List.of("run", "exec", "ps", "build", "pull", "push", "images", "login", "logout",
            "search", "version", "info", "attach", "commit", "cp", "create", "diff", "events", "export", "history", "import", "inspect",
            "kill", "load", "logs", "pause", "port", "rename", "restart", "rm", "rmi", "save", "start", "stats", "stop", "tag",
            "top", "unpause", "update", "wait", "completion");

    /** Management groups and their subcommands. */
    public static final List<String> CONTAINER = List.of("attach", "commit", "cp", "create", "diff", "exec", "export", "inspect",
            "kill", "logs", "ls", "pause", "port", "prune", "rename", "restart", "rm", "run", "start", "stats", "stop", "top",
            "unpause", "update", "wait");
    public static final List<String> IMAGE = List.of("history", "import", "inspect", "load", "ls", "prune", "pull", "push", "rm",
            "save", "tag");
    public static final List<String> VOLUME = List.of("create", "inspect", "ls", "prune", "rm");
    public static final List<String> SYSTEM = List.of("df", "events", "info", "prune");
    public static final List<String> NETWORK = List.of("connect", "create", "disconnect", "inspect", "ls", "prune", "rm");

    private Commands() {}

    /** The command, the name it goes by in messages ("container ls"), and the arguments after it. */
    public record Resolved(Command command, String fullName, List<String> args) {}

    /** Null when the words name no command. */
    public static Resolved resolve(List<String> words) throws CliException {
        String first = words.getFirst();
        List<String> rest = words.subList(1, words.size());
        switch (first) {
            case "container", "image", "volume", "system", "network", "builder", "buildx", "context", "plugin", "swarm",
                 "node", "service", "stack", "secret", "config", "trust", "manifest" -> {
                if (rest.isEmpty() || rest.getFirst().startsWith("-")) {
                    return null;
                }
                String sub = rest.getFirst();
                Command c = managed(first, sub);
                return c == null ? null : new Resolved(c, first + " " + sub, rest.subList(1, rest.size()));
            }
            default -> {
                Command c = topLevel(first);
                return c == null ? null : new Resolved(c, first, rest);
            }
        }
    }

    public static Command topLevel(String name) throws CliException {
        return switch (name) {
            case "run" -> new RunCommand(false);
            case "create" -> new RunCommand(true);
            case "exec" -> new ExecCommand();
            case "ps" -> new PsCommand();
            case "images" -> new ImagesCommand();
            case "pull" -> new PullCommand();
            case "push" -> new PushCommand();
            case "load" -> new LoadCommand();
            case "save" -> new SaveCommand();
            case "version" -> new VersionCommand();
            case "info" -> new InfoCommand();
            case "start" -> new StartCommand();
            case "stop" -> new StopCommand(false);
            case "restart" -> new StopCommand(true);
            case "kill" -> new KillCommand();
            case "rm" -> new RmCommand();
            case "rmi" -> new RmiCommand();
            case "logs" -> new LogsCommand();
            case "wait" -> new WaitCommand();
            case "inspect" -> new InspectCommand(null);
            case "attach" -> new AttachCommand();
            case "top" -> new TopCommand();
            case "stats" -> new StatsCommand();
            case "pause" -> new SimpleContainerCommand("pause", "Pause all processes within one or more containers", "/pause");
            case "unpause" -> new SimpleContainerCommand("unpause", "Unpause all processes within one or more containers", "/unpause");
            case "rename" -> new RenameCommand();
            case "tag" -> new TagCommand();
            case "history" -> new HistoryCommand();
            case "search" -> new SearchCommand();
            case "diff" -> new DiffCommand();
            case "port" -> new PortCommand();
            case "export" -> new ExportCommand();
            case "commit" -> new CommitCommand();
            case "update" -> new UpdateCommand();
            case "events" -> new EventsCommand();
            case "completion" -> new CompletionCommand();
            case "cp" -> new CpCommand();
            case "import" -> new ImportCommand();
            case "login" -> new LoginCommand();
            case "logout" -> new LoginCommand.Logout();
            case "build" -> new UnsupportedCommand(name);
            default -> null;
        };
    }

    private static Command managed(String group, String sub) throws CliException {
        return switch (group) {
            case "container" -> switch (sub) {
                case "ls", "list", "ps" -> new PsCommand();
                case "inspect" -> new InspectCommand("container");
                case "prune" -> new PruneCommand("container");
                default -> CONTAINER.contains(sub) ? topLevel(sub) : null;
            };
            case "image" -> switch (sub) {
                case "ls", "list" -> new ImagesCommand();
                case "rm", "remove" -> new RmiCommand();
                case "inspect" -> new InspectCommand("image");
                case "prune" -> new PruneCommand("image");
                default -> IMAGE.contains(sub) ? topLevel(sub) : null;
            };
            case "volume" -> VolumeCommands.of(sub);
            case "system" -> switch (sub) {
                case "info" -> new InfoCommand();
                case "events" -> new EventsCommand();
                case "df" -> new DfCommand();
                case "prune" -> new SystemPruneCommand();
                default -> null;
            };
            case "network" -> NetworkCommands.of(sub);
            default -> new UnsupportedCommand(group + " " + sub);
        };
    }

    /** Every command the model knows, with the name it is typed as: for help and shell completion. */
    public static List<Resolved> all() throws CliException {
        List<Resolved> all = new ArrayList<>();
        for (String name : TOP_LEVEL) {
            all.add(new Resolved(topLevel(name), name, List.of()));
        }
        for (String[] group : new String[][] {{"container"}, {"image"}, {"volume"}, {"system"}, {"network"}}) {
            for (String sub : subcommands(group[0])) {
                all.add(new Resolved(managed(group[0], sub), group[0] + " " + sub, List.of()));
            }
        }
        return all;
    }

    public static List<String> subcommands(String group) {
        return switch (group) {
            case "container" -> CONTAINER;
            case "image" -> IMAGE;
            case "volume" -> VOLUME;
            case "system" -> SYSTEM;
            case "network" -> NETWORK;
            default -> List.of();
        };
    }
}
