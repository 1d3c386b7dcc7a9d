package dev.berth.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What a command runs with: the daemon's API, the streams and environment of the process it runs for. */
public final class Cli {
    /** The program name in messages ("berth: ...", "See 'berth run --help'"). */
    public static final String PROGRAM = "berth";

    private final Host host;
    private final Invocation invocation;
    private Api api;

    public Cli(Host host, Invocation invocation) {
        this.host = host;
        this.invocation = invocation;
    }

    public Api api() {
        if (api == null) {
            api = new Api(host);
        }
        return api;
    }

    public PrintStream out() {
        return invocation.out();
    }

    public PrintStream err() {
        return invocation.err();
    }

    public InputStream in() {
        return invocation.in();
    }

    public Map<String, String> env() {
        return invocation.env();
    }

    /**
     * Whether file descriptor {@code fd} of the process the command runs for is a terminal, from where /proc says it points: asking
     * the kernel (isatty) would need FFM, whose first call costs ~100 ms of start-up.
     */
    public boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(invocation.stdio().get(fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
