package dev.berth.runtime.cli;

/** `start <id>`: runs the user's program in a created container. */
final class StartVerb implements Verb {
    @Override
    public String name() {
        return "start";
    }

    @Override
    public String usage() {
        return "start <container-id>";
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        ctx.runtime().start(args.id(name()));
        return 0;
    }
}
