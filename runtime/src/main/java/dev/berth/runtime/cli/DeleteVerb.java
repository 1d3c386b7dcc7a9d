package dev.berth.runtime.cli;

import dev.berth.runtime.ContainerException;
import java.util.Map;
import java.util.Set;

/** `delete [--force] <id>...`: removes stopped (or, forced, running) containers. */
final class DeleteVerb implements Verb {
    @Override
    public String name() {
        return "delete";
    }

    @Override
    public String usage() {
        return "delete [--force] <container-id>...";
    }

    @Override
    public Set<String> booleans() {
        return Set.of("force");
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of("f", "force");
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        args.id(name());
        int rc = 0;
        for (String id : args.positional()) {
            try {
                ctx.runtime().delete(id, args.flag("force"));
            } catch (ContainerException e) {
                // runc: deleting a container that is already gone is not an error with --force
                if (!(args.flag("force") && e.kind() == 404)) {
                    ctx.log().error(e.getMessage());
                    rc = 1;
                }
            }
        }
        return rc;
    }
}
