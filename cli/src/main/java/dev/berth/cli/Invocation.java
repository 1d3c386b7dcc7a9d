package dev.berth.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The process a command runs for: its streams, environment, working directory and where its
 * stdin, stdout and stderr are seen in /proc (for "is it a terminal"). For the JVM started per
 * command that is this process; for the CLI server (server/CliServer) it is the bin/berth process
 * that sent the request, reached through /proc/PID.
 */
public record Invocation(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Path cwd, List<Path> stdio) {
    /** This process: System.in, the environment, user.dir and /proc/self/fd/0-2. */
    public static Invocation self(PrintStream out, PrintStream err) {
        Path fds = Path.of("/proc/self/fd");
        return new Invocation(out, err, System.in, System.getenv(), Path.of(System.getProperty("user.dir")),
                List.of(fds.resolve("0"), fds.resolve("1"), fds.resolve("2")));
    }
}
