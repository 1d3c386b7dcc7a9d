package dev.berth.cli;

import dev.berth.cli.command.Command;
import dev.berth.cli.command.Commands;
import dev.berth.cli.command.Help;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.FlagException;
import dev.berth.cli.flags.FlagParser;
import dev.berth.cli.flags.ParsedArgs;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code berth <command>}: docker's command line. Global flags come first (-H/--host, -D,
 * --log-level, -v/--version), then a command or a management form ({@code container ls}),
 * then the command's own flags and arguments.
 */
public final class Main {
    private Main() {}

    public static void main(String[] argv) {
        if (argv.length > 0 && !argv[0].equals("--help") && !argv[0].equals("-h")) {
            dev.berth.cli.http.SocketWarmup.start();
        }
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 16 * 1024), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(Arrays.asList(argv), Invocation.self(out, err));
        out.flush();
        err.flush();
        // Runtime.halt: no shutdown hooks to run, and a stdin pump blocked in read must not hold the exit.
        Runtime.getRuntime().halt(code);
    }

    /** A command for this process (the AOT training's). */
    static int run(List<String> argv, PrintStream out, PrintStream err) {
        return run(argv, Invocation.self(out, err));
    }

    /**
     * One command, for the process {@code invocation} describes: this one, or a bin/berth client of
     * the CLI server. Nothing here reads System.in, System.getenv or user.dir: they are the server's.
     */
    public static int run(List<String> argv, Invocation invocation) {
        PrintStream out = invocation.out();
        PrintStream err = invocation.err();
        String hostFlag = null;
        int i = 0;
        for (; i < argv.size() && argv.get(i).startsWith("-"); i++) {
            String a = argv.get(i);
            String value = null;
            int eq = a.indexOf('=');
            String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
            switch (name) {
                case "-H", "--host" -> {
                    if (eq > 0 && a.startsWith("--")) {
                        value = a.substring(eq + 1);
                    } else if (i + 1 < argv.size()) {
                        value = argv.get(++i);
                    } else {
                        return usageError(err, "flag needs an argument: " + a, null, null);
                    }
                    hostFlag = value;
                }
                case "-D", "--debug", "--tls", "--tlsverify" -> { }
                case "-l", "--log-level", "--config", "--tlscacert", "--tlscert", "--tlskey" -> {
                    if (eq < 0) {
                        i++;
                    }
                }
                case "-c", "--context" -> {
                    err.println(Cli.PROGRAM + ": contexts are not supported; use -H, BERTH_HOST or DOCKER_HOST");
                    return 1;
                }
                case "-v", "--version" -> {
                    out.println("Berth version " + Version.CLIENT + ", build " + Version.COMMIT);
                    return 0;
                }
                case "-h", "--help" -> {
                    out.print(Help.main());
                    return 0;
                }
                default -> {
                    return usageError(err, a.startsWith("--") ? "unknown flag: " + name : "unknown shorthand flag: '"
                            + a.charAt(1) + "' in " + a, null, null);
                }
            }
        }
        List<String> rest = argv.subList(i, argv.size());
        if (rest.isEmpty()) {
            out.print(Help.main());
            return 0;
        }
        Commands.Resolved resolved;
        try {
            resolved = Commands.resolve(rest);
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        if (resolved == null) {
            if (rest.size() == 1 || rest.get(1).startsWith("-")) {
                Help.Group group = Help.group(rest.getFirst());
                if (group != null) {
                    out.print(Help.group(group));
                    return 0;
                }
            }
            Help.Group group = Help.group(rest.getFirst());
            String words = String.join(" ", rest.subList(0, Math.min(rest.size(), group != null ? 2 : 1)));
            // docker: an unknown subcommand of a group points at the group's usage and help
            String usage = group == null ? "" : "Usage:  " + Cli.PROGRAM + " " + group.name() + "\n\n";
            err.println(Cli.PROGRAM + ": unknown command: " + Cli.PROGRAM + " " + words + "\n\n" + usage + "Run '" + Cli.PROGRAM
                    + (group == null ? "" : " " + group.name()) + " --help' for more information");
            return 1;
        }
        Command command = resolved.command();
        String fullName = resolved.fullName();
        List<Flag> flags = new ArrayList<>(command.spec().flags());
        flags.add(Flag.bool("help", "Print usage"));
        ParsedArgs parsed;
        try {
            parsed = FlagParser.parse(flags, resolved.args(), command.spec().interspersed());
        } catch (FlagException e) {
            return usageError(err, labelled(e.getMessage(), command), fullName, command);
        }
        if (parsed.bool("help")) {
            out.print(Help.command(fullName, command.spec()));
            return 0;
        }
        int n = parsed.args().size();
        if (n < command.spec().minArgs() || (command.spec().maxArgs() >= 0 && n > command.spec().maxArgs())) {
            String message = argCountMessage(command, n);
            err.println(Cli.PROGRAM + ": '" + Cli.PROGRAM + " " + fullName + "' " + message);
            err.println();
            err.println("Usage:  " + usageLine(fullName, command));
            err.println();
            // docker's own wording differs by case: "See" after "at least", "Run" otherwise
            err.println((message.startsWith("requires at least") ? "See '" : "Run '") + Cli.PROGRAM + " " + fullName
                    + " --help' for more information");
            return 1;
        }
        Cli cli;
        try {
            cli = new Cli(Host.select(hostFlag, invocation.env()).resolvedIn(invocation.cwd()), invocation);
        } catch (CliException e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        try {
            return command.run(cli, parsed);
        } catch (FlagException e) {
            if (!e.showUsage()) {
                err.println(Cli.PROGRAM + ": " + e.getMessage() + "\n\nRun '" + Cli.PROGRAM + " " + fullName + " --help' for more information");
                return 125;
            }
            return usageError(err, labelled(e.getMessage(), command), fullName, command);
        } catch (CliException e) {
            out.flush();
            err.println(e.getMessage());
            return e.exitCode();
        } catch (dev.berth.cli.format.TemplateException e) {
            out.flush();
            err.println(e.getMessage());
            return 1;
        } catch (Exception e) {
            out.flush();
            err.println(Cli.PROGRAM + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    /**
     * pflag names a flag with its shorthand in errors ("-m, --memory"): the messages say "--memory".
     * The pattern is compiled here, on the error path, not at every start.
     */
    private static String labelled(String message, Command command) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("for \"--([a-z0-9-]+)\" flag").matcher(message);
        if (!m.find()) {
            return message;
        }
        for (Flag f : command.spec().flags()) {
            if (f.name().equals(m.group(1))) {
                return message.substring(0, m.start()) + "for \"" + f.label() + "\" flag" + message.substring(m.end());
            }
        }
        return message;
    }

    private static String argCountMessage(Command command, int n) {
        var spec = command.spec();
        if (spec.maxArgs() == 0) {
            return "accepts no arguments";
        }
        if (spec.minArgs() == spec.maxArgs()) {
            return "requires " + spec.minArgs() + " argument" + (spec.minArgs() == 1 ? "" : "s");
        }
        if (n < spec.minArgs()) {
            return "requires at least " + spec.minArgs() + " argument" + (spec.minArgs() == 1 ? "" : "s");
        }
        return "requires at most " + spec.maxArgs() + " argument" + (spec.maxArgs() == 1 ? "" : "s");
    }

    private static String usageLine(String fullName, Command command) {
        String usage = command.spec().usage();
        int space = usage.indexOf(' ');
        return Cli.PROGRAM + " " + fullName + (space < 0 ? "" : usage.substring(space));
    }

    /** Bad flags: docker's message, the usage line, a pointer to --help, and exit status 125. */
    private static int usageError(PrintStream err, String message, String fullName, Command command) {
        err.println(message);
        err.println();
        if (command != null) {
            err.println("Usage:  " + usageLine(fullName, command));
            err.println();
        }
        err.println("Run '" + Cli.PROGRAM + (fullName == null ? "" : " " + fullName) + " --help' for more information");
        return 125;
    }
}
