package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;

/**
 * Tells the daemon the user's terminal size for a container's (or exec's) tty, at start and on
 * every SIGWINCH, as docker's MonitorTtySize does.
 */
final class Resize {
    private Resize() {}

    static void container(Cli cli, String id) {
        watch(cli, "/containers/" + id + "/resize");
    }

    static void exec(Cli cli, String execId) {
        watch(cli, "/exec/" + execId + "/resize");
    }

    private static void watch(Cli cli, String path) {
        if (!cli.isTerminal(1)) {
            return;
        }
        send(cli, path);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> Thread.ofPlatform().daemon().start(() -> send(cli, path)));
        } catch (IllegalArgumentException ignored) {
            // no SIGWINCH here: the size set at start stays
        }
    }

    private static void send(Cli cli, String path) {
        int[] size = TerminalMode.size();
        if (size == null) {
            return;
        }
        try {
            cli.api().send("POST", path, Api.query().put("h", size[0]).put("w", size[1]));
        } catch (CliException ignored) {
            // a resize is best effort, as in docker
        }
    }
}
