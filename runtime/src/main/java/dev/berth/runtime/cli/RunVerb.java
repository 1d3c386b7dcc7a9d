package dev.berth.runtime.cli;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import sun.misc.Signal;

/**
 * `run <id>`: create, start, wait, delete; exits with the container's status. In the foreground
 * the shim passes our signals on to the container; this JVM must not die of them first.
 */
final class RunVerb implements Verb {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String usage() {
        return "run [--bundle dir] [--detach] [--pid-file file] [--console-socket path] [--no-pivot] [--preserve-fds n] <container-id>";
    }

    @Override
    public Set<String> booleans() {
        Set<String> b = new HashSet<>(CreateVerb.BOOLEANS);
        b.add("detach");
        b.add("keep");
        return b;
    }

    @Override
    public Set<String> valued() {
        return CreateVerb.VALUED;
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("b", "bundle", "d", "detach");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        boolean detach = args.flag("detach");
        if (!detach) {
            for (String sig : new String[] {"INT", "TERM", "HUP"}) {
                // The shim, our child, receives and forwards these itself (OP_FORWARD_SIGNALS).
                Signal.handle(new Signal(sig), s -> { });
            }
        }
        return ctx.runtime().run(CreateVerb.request(args, detach));
    }
}
