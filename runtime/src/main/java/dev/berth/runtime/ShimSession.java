package dev.berth.runtime;

import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.Op;
import dev.berth.runtime.plan.OpCode;
import dev.berth.sys.Errno;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One berth-shim process and the line channel to it (protocol in native/src/shim.h): start it
 * with a plan, wait for "pid N" (the container exists), answer hook points, learn of errors.
 */
final class ShimSession implements AutoCloseable {
    private final LaunchPlan plan;
    private final Process process;
    private final ServerSocketChannel server;
    private final Path syncSocket;
    private SocketChannel channel;
    private volatile boolean connected;
    private BufferedReader in;
    private OutputStream out;

    /** Callback for a hook point: return normally to continue, throw to abort the launch. */
    interface HookRunner {
        void run(int containerPid);
    }

    private ShimSession(LaunchPlan plan, Process process, ServerSocketChannel server, Path syncSocket) {
        this.plan = plan;
        this.process = process;
        this.server = server;
        this.syncSocket = syncSocket;
    }

    /**
     * Writes the plan to {@code planFile}, listens on {@code syncSocket} and starts the shim with
     * the caller's stdio. The socket must be the one the plan's SYNC_SOCKET op names.
     */
    static ShimSession start(Path shim, LaunchPlan plan, Path planFile, Path syncSocket) throws IOException {
        return start(shim, plan, planFile, syncSocket, false);
    }

    /** As {@link #start(Path, LaunchPlan, Path, Path)}; with {@code pipeStdin} the process reads {@link #stdin()}. */
    /**
     * Where the sync socket of a launch is bound: in its state dir when the path fits a unix
     * socket address (108 bytes with the NUL), else under java.io.tmpdir with a short random
     * name (a 64-hex container id under a long --root does not fit). Root-owned, mode 0755:
     * nobody else can connect to it.
     */
    static Path syncSocketFor(Path stateDir, String name) {
        Path preferred = stateDir.resolve(name);
        if (preferred.toString().getBytes(StandardCharsets.UTF_8).length < 100) {
            return preferred;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "berth-" + Long.toHexString(new java.security.SecureRandom().nextLong()) + ".sock");
    }

    static ShimSession start(Path shim, LaunchPlan plan, Path planFile, Path syncSocket, boolean pipeStdin) throws IOException {
        Files.write(planFile, plan.encode());
        Files.deleteIfExists(syncSocket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(syncSocket));
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(shim.toString(), planFile.toString()).inheritIO();
            if (pipeStdin) {
                pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            }
            process = pb.start();
        } catch (IOException e) {
            server.close();
            Files.deleteIfExists(syncSocket);
            throw new RuntimeException("start " + shim + ": " + e.getMessage(), e);
        }
        ShimSession session = new ShimSession(plan, process, server, syncSocket);
        // If the shim dies before connecting, accept() must not wait forever (the delay lets a
        // connection the shim made just before dying be accepted first).
        process.onExit().thenRunAsync(session::closeIfUnconnected,
                java.util.concurrent.CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS));
        return session;
    }

    /** Waits until the container exists and returns its host pid; runs hooks on the way. */
    int awaitCreated(HookRunner hooks) throws IOException {
        try {
            channel = server.accept();
        } catch (IOException e) {
            throw new LaunchException(shimDiedMessage());
        }
        connected = true;
        server.close(); // one connection per launch; the socket file goes with the state dir
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        out = Channels.newOutputStream(channel);
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("pid ")) {
                return Integer.parseInt(line.substring(4).trim());
            } else if (line.startsWith("hook ")) {
                try {
                    hooks.run(Integer.parseInt(line.split(" ")[2]));
                } catch (RuntimeException e) {
                    out.write("abort\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    throw e;
                }
                out.write("go\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            } else if (line.startsWith("error ")) {
                throw new LaunchException(describeError(plan, line), causeOf(plan, line));
            }
        }
        throw new LaunchException(shimDiedMessage());
    }

    /** Waits for the shim to exit (it exits when the container does) and returns its exit code. */
    int awaitExit() throws InterruptedException {
        return process.waitFor();
    }

    boolean awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    /** Ends what the shim runs (the shim passes SIGTERM on and exits with it); used when a hook overruns. */
    void kill() {
        process.destroy();
    }

    long shimPid() {
        return process.pid();
    }

    /** "error <op> <errno> <detail>" -> "mount /proc: permission denied (config.json mounts[3])". */
    static String describeError(LaunchPlan plan, String line) {
        String[] parts = line.split(" ", 4);
        int index = Integer.parseInt(parts[1]);
        Errno errno = Errno.of(Integer.parseInt(parts[2]));
        String detail = parts.length > 3 ? parts[3] : "";
        Op op = plan.at(index).orElse(null);
        if (op == null) {
            return detail + ": " + errno.lowerMessage();
        }
        String origin = op.origin() == null ? ""
                : op.origin().startsWith("--") ? " (" + op.origin() + ")" : " (config.json " + op.origin() + ")";
        if (op.code() == OpCode.EXEC || op.code() == OpCode.LOOKUP) {
            String what = errno.number() == Errno.ENOENT
                    ? "exec: \"" + op.subject() + "\": executable file not found in $PATH"
                    : "exec " + op.subject() + ": " + errno.lowerMessage();
            return what + origin;
        }
        return detail + " " + op.subject() + ": " + errno.lowerMessage() + origin;
    }

    /** An exec or PATH lookup that failed is the program's fault: missing (ENOENT) or not runnable. */
    static LaunchException.Cause causeOf(LaunchPlan plan, String line) {
        String[] parts = line.split(" ", 4);
        Op op = plan.at(Integer.parseInt(parts[1])).orElse(null);
        if (op == null || (op.code() != OpCode.EXEC && op.code() != OpCode.LOOKUP)) {
            return LaunchException.Cause.OTHER;
        }
        return Integer.parseInt(parts[2]) == Errno.ENOENT ? LaunchException.Cause.PROGRAM_NOT_FOUND : LaunchException.Cause.PROGRAM_NOT_RUNNABLE;
    }

    private String shimDiedMessage() {
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "berth-shim exited" + (process.isAlive() ? "" : " with status " + process.exitValue())
                + " before the container was created";
    }

    private void closeIfUnconnected() {
        if (!connected) {
            try {
                server.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
        server.close();
        Files.deleteIfExists(syncSocket);
    }
}
