package dev.berth.runtime.cli;

/** `pause <id>` and `resume <id>`: freeze and thaw every process of the container (freezer cgroup). */
final class PauseVerb implements Verb {
    private final boolean pause;

    PauseVerb(boolean pause) {
        this.pause = pause;
    }

    @Override
    public String name() {
        return pause ? "pause" : "resume";
    }

    @Override
    public String usage() {
        return name() + " <container-id>";
    }

    @Override
    public int run(Args args, Context ctx) throws Exception {
        if (pause) {
            ctx.runtime().pause(args.id(name()));
        } else {
            ctx.runtime().resume(args.id(name()));
        }
        return 0;
    }
}
