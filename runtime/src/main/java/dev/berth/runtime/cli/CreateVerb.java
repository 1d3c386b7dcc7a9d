package dev.berth.runtime.cli;

import dev.berth.runtime.CreateRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** `create <id>`: the container's process exists, stopped before the user's program. */
final class CreateVerb implements Verb {
    static final Set<String> VALUED = Set.of("bundle", "pid-file", "console-socket", "preserve-fds");
    static final Set<String> BOOLEANS = Set.of("no-pivot", "no-new-keyring");

    @Override
    public String name() {
        return "create";
    }

    @Override
    public String usage() {
        return "create [--bundle dir] [--pid-file file] [--console-socket path] [--no-pivot] [--preserve-fds n] <container-id>";
    }

    @Override
    public Set<String> booleans() {
        return BOOLEANS;
    }

    @Override
    public Set<String> valued() {
        return VALUED;
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("b", "bundle");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        ctx.runtime().create(request(args, true));
        return 0;
    }

    static CreateRequest request(Args args, boolean detach) {
        String id = args.id("create");
        String console = args.value("console-socket", null);
        String pidFile = args.value("pid-file", null);
        return new CreateRequest(id, Path.of(args.value("bundle", ".")), pidFile == null ? null : Path.of(pidFile),
                console == null ? null : Path.of(console), args.flag("no-pivot"), args.intValue("preserve-fds", 0), detach);
    }
}
