package dev.berth.runtime.plan;

import static dev.berth.runtime.plan.Ops.ints;

import dev.berth.oci.runtime.SpecException;
import dev.berth.runtime.stdio.Stdio;
import java.util.ArrayList;
import java.util.List;

/** The shim's own ops, the same for a new container and for an exec: where it reports and records. */
final class MonitorPlanner {
    private static final long SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGUSR1 = 10, SIGUSR2 = 12, SIGTERM = 15, SIGWINCH = 28;

    private MonitorPlanner() {}

    static Ops ops(LaunchOptions o, boolean terminal) {
        Ops ops = new Ops();
        // Inherited fds first: the shim runs its ops in plan order, so it takes these before it
        // opens anything that could sit on their numbers.
        for (int fd = 3; fd < 3 + o.preserveFds(); fd++) {
            ops.add(OpCode.INHERIT_FD, "fd " + fd, "--preserve-fds", ints(o.callerPid(), fd, fd));
        }
        ops.add(OpCode.SYNC_SOCKET, o.syncSocket().toString(), null, ints(), o.syncSocket().toString());
        if (o.exitFile() != null) {
            ops.add(OpCode.EXIT_FILE, o.exitFile().toString(), null, ints(), o.exitFile().toString());
        }
        if (o.execFifo() != null) {
            ops.add(OpCode.EXEC_FIFO, o.execFifo().toString(), null, ints(), o.execFifo().toString());
        }
        if (o.stdio() != null) {
            // The pty master (terminal) or the pipes come to the shim itself.
            Stdio s = o.stdio();
            List<String> strs = new ArrayList<>(List.of(s.log() == null ? "" : s.log().toString(),
                    s.attach() == null ? "" : s.attach().toString()));
            s.logRotations().forEach(p -> strs.add(p.toString()));
            ops.add(OpCode.STDIO, "stdio", null, ints((s.openStdin() ? 1 : 0) | (terminal ? 2 : 0), s.logMaxBytes()),
                    strs.toArray(String[]::new));
        } else if (o.consoleSocket() != null) {
            ops.add(OpCode.CONSOLE_SOCKET, o.consoleSocket().toString(), "--console-socket", ints(), o.consoleSocket().toString());
        } else if (terminal) {
            throw new SpecException("process.terminal: a terminal needs --console-socket");
        }
        if (o.detach()) {
            ops.add(OpCode.DETACH, "detach", null, ints());
        }
        if (o.forwardSignals()) {
            // What a terminal or a supervisor sends the foreground process (runc's set).
            ops.add(OpCode.FORWARD_SIGNALS, "signals", null, ints(SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGWINCH));
        }
        return ops;
    }
}
