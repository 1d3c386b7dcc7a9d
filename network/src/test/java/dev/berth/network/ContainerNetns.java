package dev.berth.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a container's network namespace: `unshare -n sleep 300` (it ends by itself if a
 * test run dies), whose /proc/PID/ns/net
 * is the netns. Commands run inside it through nsenter (tests only; the library never spawns
 * tools). Closing kills that one process by its pid.
 */
public final class ContainerNetns implements AutoCloseable {
    private final Process process;

    private ContainerNetns(Process process) {
        this.process = process;
    }

    public static ContainerNetns start() throws IOException {
        Process p = new ProcessBuilder("unshare", "-n", "sleep", "300").redirectErrorStream(true).start();
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

    /** Closes them all, even when one reports a leak; then rethrows the first such report. */
    public static void closeAll(List<ContainerNetns> all) throws InterruptedException {
        AssertionError first = null;
        for (ContainerNetns c : all) {
            try {
                c.close();
            } catch (AssertionError e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Kills the `sleep`, and any other process still in this netns: only a test of ours can have
     * put one there (a listener it spawned), so it is a leak, killed and reported. They are listed
     * while the sleep still holds the netns, so its inode cannot have been reused by someone
     * else's; ProcessHandle checks the start time, so a reused pid is not killed either.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> others = new ArrayList<>();
        try {
            String ns = java.nio.file.Files.readSymbolicLink(netns()).toString();
            try (var procs = java.nio.file.Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    long pid = Long.parseLong(p.getFileName().toString());
                    try {
                        if (pid != process.pid() && java.nio.file.Files.readSymbolicLink(p.resolve("ns/net")).toString().equals(ns)) {
                            ProcessHandle.of(pid).ifPresent(others::add);
                        }
                    } catch (IOException ignored) {
                        // exited meanwhile, or a kernel thread
                    }
                }
            }
        } catch (IOException e) {
            // the sleep is gone already, and its netns with it unless something holds it
        }
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        others.removeIf(h -> !h.isAlive());
        others.forEach(ProcessHandle::destroyForcibly);
        if (!others.isEmpty()) {
            throw new AssertionError("processes left in the test's netns (now killed): "
                    + others.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList());
        }
    }
}
