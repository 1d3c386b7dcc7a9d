package dev.berth.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The training run bin/lib/aot-train-cli.sh records the CLI's AOT cache from (JEP 483/514): the
 * common commands, one after another in one JVM, against the daemon named by BERTH_HOST, so the
 * cache holds the classes of the HTTP client, the JSON binder, the flag parser, the templates and
 * tables, and the run path (up to the daemon's "no such image" answer). Output is discarded.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) {
        // As Main.main does: the socket warm-up thread first, and each command line as the array
        // list main gets. A class the cache lacks is loaded from the jar, and the first such load
        // opens the jar: ~4 ms of a 45 ms command.
        dev.berth.cli.http.SocketWarmup.start();
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        // Only the everyday commands: the JVM loads every class of the cache at start, so each
        // command trained here (and the JDK classes it touches: time-zone names for CreatedAt,
        // streams, ...) costs every other command a little. info, --help and json output are left
        // to load from the jar.
        List<List<String>> commands = List.of(
                List.of("version"),
                List.of("ps"),
                List.of("ps", "-a", "--format", "{{.Names}}\t{{.Status}}"),
                List.of("ps", "-aq", "--no-trunc"),
                List.of("images"),
                List.of("inspect", "--format", "{{.State.Status}} {{json .Config}}", "aot-listed"),
                List.of("inspect", "no-such-container"),
                List.of("rm", "-f", "no-such-container"),
                List.of("logs", "no-such-container"),
                List.of("stop", "no-such-container"),
                List.of("run", "--rm", "--pull", "never", "-e", "A=1", "--name", "aot-train", "-m", "64m", "no-such-image:aot", "true"),
                List.of("run", "-d", "--pull", "never", "no-such-image:aot", "sh", "-c", "exit 3"));
        for (List<String> c : commands) {
            Main.run(Arrays.asList(c.toArray(String[]::new)), sink, sink);
        }
        if (System.getenv("BERTH_AOT_TRAIN_RUN") != null) {
            // the script loaded busybox: the whole foreground run path, with output and removal
            Main.run(List.of("run", "--rm", "busybox", "echo", "trained"), sink, sink);
            Main.run(List.of("run", "--rm", "busybox", "sh", "-c", "exit 3"), sink, sink);
        }
    }
}
