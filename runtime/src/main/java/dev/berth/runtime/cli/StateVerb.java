package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Json;

/** `state <id>`: the OCI state JSON (runtime.md#state). */
final class StateVerb implements Verb {
    @Override
    public String name() {
        return "state";
    }

    @Override
    public String usage() {
        return "state <container-id>";
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        ctx.out().println(Json.writePretty(ctx.runtime().load(args.id(name())).state()));
        return 0;
    }
}
