package dev.berth.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The process a command runs for: its streams, environment, working directory and the directory
 * its file descriptors are seen through (for "is it a terminal"). For the JVM started per command
 * that is this process; for the CLI server (server/CliServer) it is the bin/berth process that
 * sent the request, reached through /proc/PID.
 */
public record Invocation(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Path cwd, Path fds) {
    /** This process: System.in, the environment, user.dir and /proc/self/fd. */
    public static Invocation self(PrintStream out, PrintStream err) {
        return new Invocation(out, err, System.in, System.getenv(), Path.of(System.getProperty("user.dir")), Path.of("/proc/self/fd"));
    }
}
