package dev.berth.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What a command runs with: the daemon's API, the process's streams and environment. */
public final class Cli {
    /** The program name in messages ("berth: ...", "See 'berth run --help'"). */
    public static final String PROGRAM = "berth";

    private final Host host;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;
    private final Map<String, String> env;
    private Api api;

    public Cli(Host host, PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        this.host = host;
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    public Api api() {
        if (api == null) {
            api = new Api(host);
        }
        return api;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    public Map<String, String> env() {
        return env;
    }

    /**
     * Whether file descriptor {@code fd} is a terminal, from where /proc says it points: asking
     * the kernel (isatty) would need FFM, whose first call costs ~100 ms of start-up.
     */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
