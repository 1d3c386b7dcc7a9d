package dev.berth.runtime.cli;

import dev.berth.oci.runtime.SpecException;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.LaunchException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** berth-runtime: runc's command line over {@link BerthRuntime}. */
public final class Main {
    static final String VERSION = "0.1.0";

    private static final List<Verb> VERBS = List.of(new CreateVerb(), new StartVerb(), new RunVerb(), new StateVerb(),
            new KillVerb(), new DeleteVerb(), new ListVerb(), new PsVerb(), new PauseVerb(true), new PauseVerb(false),
            new SpecVerb(), new FeaturesVerb(), new UpdateVerb(), new EventsVerb(), new ExecVerb());

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        Map<String, Verb> verbs = new LinkedHashMap<>();
        VERBS.forEach(v -> verbs.put(v.name(), v));
        Logger log = new Logger(err, false, false);
        try {
            Args global = Args.parse(argv, Set.of("debug", "systemd-cgroup", "help", "version"),
                    Map.of("h", "help", "v", "version"), Set.of("root", "log", "log-format", "criu", "rootless"));
            PrintStream logStream = global.has("log") ? new PrintStream(new FileOutputStream(global.value("log", null), true), true) : err;
            log = new Logger(logStream, "json".equals(global.value("log-format", "text")), global.flag("debug"));
            if (global.flag("version")) {
                out.println("berth-runtime version " + VERSION + "\nspec: " + dev.berth.runtime.Container.OCI_VERSION);
                return 0;
            }
            if (global.flag("systemd-cgroup")) {
                throw new UsageException("--systemd-cgroup is not supported: Berth manages cgroupfs directly");
            }
            List<String> rest = global.positional();
            if (global.flag("help") || rest.isEmpty() || rest.getFirst().equals("help")) {
                out.println(help(verbs));
                return rest.isEmpty() && !global.flag("help") ? 1 : 0;
            }
            Verb verb = verbs.get(rest.getFirst());
            if (verb == null) {
                throw new UsageException("No help topic for '" + rest.getFirst() + "'");
            }
            List<String> verbArgs = rest.subList(1, rest.size());
            if (verbArgs.contains("--help") || verbArgs.contains("-h")) {
                out.println("Usage: berth-runtime " + verb.usage());
                return 0;
            }
            Args args = Args.parse(verbArgs, verb.booleans(), verb.aliases(), verb.valued());
            Path root = Path.of(global.value("root", "/run/berth-runtime"));
            Logger logger = log;
            BerthRuntime runtime = new BerthRuntime(root, shimPath(), logger::warn);
            return verb.run(args, new Context(runtime, root, out, logger));
        } catch (UsageException | SpecException | ContainerException | LaunchException e) {
            log.error(e.getMessage());
            return 1;
        } catch (dev.berth.cgroups.CgroupException e) {
            log.error(e.getMessage());
            return 1;
        } catch (IOException e) {
            log.error(e.toString());
            return 1;
        } catch (Exception e) {
            log.error(e.toString());
            return 1;
        }
    }

    private static Path shimPath() {
        String p = System.getProperty("berth.shim", System.getenv("BERTH_SHIM"));
        if (p == null) {
            throw new UsageException("cannot find berth-shim: set -Dberth.shim or BERTH_SHIM (bin/berth-runtime does)");
        }
        return Path.of(p);
    }

    private static String help(Map<String, Verb> verbs) {
        StringBuilder sb = new StringBuilder("""
                NAME:
                   berth-runtime - Berth's OCI runtime, runc's command line

                USAGE:
                   berth-runtime [global options] command [command options] [arguments...]

                COMMANDS:
                """);
        verbs.values().forEach(v -> sb.append("   ").append(v.usage()).append('\n'));
        sb.append("""

                GLOBAL OPTIONS:
                   --root value        root directory for storage of container state (default: "/run/berth-runtime")
                   --log value         write errors and warnings to this file (default: stderr)
                   --log-format value  text or json (default: "text")
                   --debug             enable debug output
                   --version, -v       print the version""");
        return sb.toString();
    }
}
