package dev.berth.runtime.cli;

import java.util.Map;
import java.util.Set;

/** One berth-runtime command. Each verb is its own class; Main dispatches by name. */
interface Verb {
    String name();

    String usage();

    /** Long names of flags without a value. */
    default Set<String> booleans() {
        return Set.of();
    }

    /** Long names of flags with a value. */
    default Set<String> valued() {
        return Set.of();
    }

    default Map<String, String> aliases() {
        return Map.of();
    }

    /** Runs the verb; returns the process exit code. */
    int run(Args args, Context ctx) throws Exception;
}
