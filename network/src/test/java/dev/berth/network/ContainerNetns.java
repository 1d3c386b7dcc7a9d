package dev.berth.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a container's network namespace: `unshare -n sleep 600`, whose /proc/PID/ns/net
 * is the netns. Commands run inside it through nsenter (tests only; the library never spawns
 * tools). Closing kills that one process by its pid.
 */
public final class ContainerNetns implements AutoCloseable {
    private final Process process;

    private ContainerNetns(Process process) {
        this.process = process;
    }

    public static ContainerNetns start() throws IOException {
        Process p = new ProcessBuilder("unshare", "-n", "sleep", "600").redirectErrorStream(true).start();
        Path ns = Path.of("/proc/" + p.pid() + "/ns/net");
        // unshare execs sleep once the namespace exists: wait until the ns differs from ours.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                if (!java.nio.file.Files.readSymbolicLink(ns).equals(java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/ns/net")))) {
                    return new ContainerNetns(p);
                }
            } catch (IOException ignored) {
                // not yet
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
        p.destroyForcibly();
        throw new IOException("unshare -n did not make a netns");
    }

    public long pid() {
        return process.pid();
    }

    public Path netns() {
        return Path.of("/proc/" + process.pid() + "/ns/net");
    }

    /** Runs a command inside the netns; returns exit code and combined output. */
    public Result run(String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid()), "-n"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + argv);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a long-running command inside the netns (a listener); the caller destroys it.
     * nsenter execs the command, so the Process is the command itself and destroying it leaves
     * nothing behind; give a program, not a shell pipeline, whose children would outlive it.
     */
    public Process spawn(String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid()), "-n"));
        argv.addAll(List.of(command));
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }

    public record Result(int exit, String output) {}

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
