package dev.berth.runtime.cli;

import dev.berth.runtime.linux.Signals;
import java.util.Map;
import java.util.Set;

/** `kill [--all] <id> [signal]`: signal names (KILL, SIGKILL) or numbers; default SIGTERM. */
final class KillVerb implements Verb {
    @Override
    public String name() {
        return "kill";
    }

    @Override
    public String usage() {
        return "kill [--all] <container-id> [signal]";
    }

    @Override
    public Set<String> booleans() {
        return Set.of("all");
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("a", "all");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        String id = args.id(name());
        int signal = Signals.parse(args.positional().size() > 1 ? args.positional().get(1) : "TERM");
        ctx.runtime().kill(id, signal, args.flag("all"));
        return 0;
    }
}
