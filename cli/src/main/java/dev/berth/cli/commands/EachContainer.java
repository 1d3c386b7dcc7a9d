package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import java.util.List;

/**
 * The shape of stop, kill, rm, pause, ...: act on each named container in turn, print the name
 * as given when it worked, print the daemon's error and go on when it did not; exit 1 if any failed.
 */
final class EachContainer {
    interface Action {
        void apply(String name) throws CliException;
    }

    private EachContainer() {}

    static int run(Cli cli, List<String> names, Action action) {
        boolean failed = false;
        for (String name : names) {
            try {
                action.apply(name);
                cli.out().println(name);
            } catch (CliException e) {
                cli.out().flush();
                cli.err().println(e.getMessage());
                failed = true;
            }
        }
        return failed ? 1 : 0;
    }
}
