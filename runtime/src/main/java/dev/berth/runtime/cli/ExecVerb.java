package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sun.misc.Signal;

/**
 * `exec [flags] <id> <command> [args...]` or `exec --process process.json <id>`: another process
 * in a running container. Unset fields come from the container's own process in config.json, as
 * runc does; --env adds to (or replaces in) its environment, --cap adds to its capabilities.
 */
final class ExecVerb implements Verb {
    @Override
    public String name() {
        return "exec";
    }

    @Override
    public String usage() {
        return "exec [--process file] [--tty] [--detach] [--env K=V] [--cwd dir] [--user uid[:gid]] [--cap CAP] "
                + "[--console-socket path] [--pid-file file] <container-id> <command> [args...]";
    }

    @Override
    public Set<String> booleans() {
        return Set.of("tty", "detach", "no-new-privs", "ignore-paused");
    }

    @Override
    public Set<String> valued() {
        return Set.of("console-socket", "cwd", "env", "user", "additional-gids", "process", "pid-file",
                "process-label", "apparmor", "cap", "preserve-fds", "cgroup");
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("t", "tty", "d", "detach", "e", "env", "u", "user", "g", "additional-gids", "p", "process",
                "c", "cap");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        String id = args.id(name());
        Spec.Process base = ctx.runtime().load(id).record().config().process();
        Spec.Process process = args.has("process") ? fromFile(Path.of(args.value("process", null))) : fromFlags(args, base);
        if (args.has("apparmor") || args.has("process-label")) {
            throw new UsageException("--apparmor and --process-label are not supported: Berth has no LSM support yet");
        }
        boolean detach = args.flag("detach");
        if (!detach) {
            for (String sig : new String[] {"INT", "TERM", "HUP"}) {
                Signal.handle(new Signal(sig), s -> { });
            }
        }
        String console = args.value("console-socket", null);
        String pidFile = args.value("pid-file", null);
        return ctx.runtime().exec(new ExecRequest(id, process, console == null ? null : Path.of(console),
                pidFile == null ? null : Path.of(pidFile), detach, args.intValue("preserve-fds", 0)));
    }

    private static Spec.Process fromFile(Path file) throws Exception {
        Spec.Process p = Json.parse(Files.readString(file), Spec.Process.class);
        if (p == null || p.args() == null || p.args().isEmpty()) {
            throw new UsageException(file + ": args must not be empty");
        }
        return p;
    }

    static Spec.Process fromFlags(Args args, Spec.Process base) {
        List<String> argv = args.positional().subList(1, args.positional().size());
        if (argv.isEmpty()) {
            throw new UsageException("exec: no command given (use --process or a command after the container id)");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : concat(base.env(), args.all("env"))) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), e);
        }
        Spec.User user = base.user();
        if (args.has("user")) {
            String[] ug = args.value("user", null).split(":", 2);
            user = new Spec.User(number(ug[0], "user"), ug.length > 1 ? number(ug[1], "user") : 0L, null, null, null);
        }
        if (args.has("additional-gids")) {
            List<Long> gids = args.all("additional-gids").stream().map(g -> number(g, "additional-gids")).toList();
            user = new Spec.User(user == null ? 0L : user.uid(), user == null ? 0L : user.gid(), user == null ? null : user.umask(), gids, null);
        }
        Spec.Capabilities caps = base.capabilities();
        if (args.has("cap")) {
            List<String> add = args.all("cap");
            caps = new Spec.Capabilities(concat(caps == null ? null : caps.bounding(), add), concat(caps == null ? null : caps.effective(), add),
                    caps == null ? null : caps.inheritable(), concat(caps == null ? null : caps.permitted(), add),
                    caps == null ? null : caps.ambient());
        }
        boolean nnp = args.flag("no-new-privs") || Boolean.TRUE.equals(base.noNewPrivileges());
        return new Spec.Process(args.flag("tty"), null, user, argv, null, List.copyOf(env.values()),
                args.value("cwd", base.cwd()), caps, base.rlimits(), nnp, null, base.oomScoreAdj(), null, null, null);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a == null ? List.of() : a);
        out.addAll(b);
        return out;
    }

    private static long number(String s, String flag) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid --" + flag + " \"" + s + "\": numeric ids only (no user names: the container's /etc/passwd is not read)");
        }
    }
}
