package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.ExecConfig;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ExecProcess;
import dev.berth.runtime.ExecRequest;
import dev.berth.runtime.LaunchException;
import dev.berth.runtime.stdio.Stdio;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * docker exec: processes started in a running container's namespaces and cgroup. An exec is
 * created (configuration only, kept in memory as dockerd does), started once, and inspected for
 * its exit code afterwards. Each runs under a shim of its own that serves its stdio on
 * execRoot/attach/exec-<id16>.sock; the process is held before its execve until the caller has
 * attached, so short commands lose no output.
 *
 * On /events, as dockerd: {@code exec_create: <cmd>} and {@code exec_start: <cmd>} (attribute
 * execID), {@code exec_die} (execID, exitCode) when it ends, {@code exec_detach} when the detach
 * keys end an attached start while the process runs on.
 */
public final class Execs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Containers containers;
    private final BerthRuntime runtime;
    private final Path attachDir;
    private final Map<String, Exec> byId = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();

    public Execs(Containers containers, BerthRuntime runtime, Path execRoot) {
        this.containers = containers;
        this.runtime = runtime;
        this.attachDir = execRoot.resolve("attach");
    }

    /** One exec's mutable state; guarded by itself. */
    private static final class Exec {
        final String id;
        final String containerId;
        final ExecConfig config;
        /** The container's run it belongs to (its StartedAt): dockerd forgets a run's execs when it ends. */
        final String run;
        final long order;
        boolean started;
        boolean running;
        Integer exitCode;
        int pid;
        AttachSession attach;

        Exec(String id, String containerId, ExecConfig config, String run, long order) {
            this.id = id;
            this.containerId = containerId;
            this.config = config;
            this.run = run;
            this.order = order;
        }

        synchronized ExecRecord snapshot() {
            return new ExecRecord(id, containerId, config, running, exitCode, pid);
        }
    }

    public ExecRecord create(String containerIdOrName, ExecConfig config) {
        ContainerRecord c = containers.get(containerIdOrName);
        if (config == null || config.cmd() == null || config.cmd().isEmpty()) {
            throw new EngineException(400, "No exec command specified");
        }
        requireRunning(c);
        forgetExecsOfRemovedContainers();
        String id = HexFormat.of().formatHex(randomBytes());
        Exec e = new Exec(id, c.id(), config, c.startedAt(), created.incrementAndGet());
        byId.put(id, e);
        containers.events().publish("exec_create: " + commandLine(config.cmd()), c, Map.of("execID", id));
        return e.snapshot();
    }

    public ExecRecord inspect(String execId) {
        return find(execId).snapshot();
    }

    /**
     * Inspect's ExecIDs: the execs of the container's current run that have not ended (created
     * or running), oldest first; null when there are none, as dockerd writes it.
     */
    public List<String> idsOf(ContainerRecord c) {
        if (!c.isUp()) {
            return null;
        }
        List<String> ids = byId.values().stream()
                .filter(e -> e.containerId.equals(c.id()) && Objects.equals(e.run, c.startedAt()))
                .filter(e -> {
                    synchronized (e) {
                        return e.exitCode == null;
                    }
                })
                .sorted(Comparator.comparingLong(e -> e.order)).map(e -> e.id).toList();
        return ids.isEmpty() ? null : ids;
    }

    /** dockerd's words for an exec's command on /events: the program, a space, its arguments. */
    static String commandLine(List<String> cmd) {
        return cmd.getFirst() + " " + String.join(" ", cmd.subList(1, cmd.size()));
    }

    /** Whether the exec runs with a terminal (the API picks raw or multiplexed framing by it). */
    public boolean tty(String execId) {
        return Boolean.TRUE.equals(find(execId).config.tty());
    }

    /**
     * Starts an exec. Detached, it runs in the background and null is returned; otherwise the
     * caller gets the attached process: relay its output, then {@link Started#awaitExit}.
     * A program that cannot be run ends the exec at once with docker's 126/127 and an
     * EngineException carrying the OCI runtime's message.
     */
    public Started start(String execId, boolean detach) throws IOException {
        Exec e = find(execId);
        synchronized (e) {
            if (e.running) {
                throw new EngineException(409, "Error: Exec command " + e.id + " is already running");
            }
            if (e.started) {
                throw new EngineException(409, "Error: Exec command " + e.id + " has already run");
            }
            e.started = true;
        }
        ContainerRecord c = containers.get(e.containerId);
        requireRunning(c);
        containers.events().publish("exec_start: " + commandLine(e.config.cmd()), c, Map.of("execID", e.id));
        Path socket = detach ? null : attachDir.resolve("exec-" + e.id.substring(0, 16) + ".sock");
        ExecProcess process;
        try {
            dev.berth.runtime.Container rc = runtime.load(c.id());
            Spec.Process spec = ExecProcessSpec.of(rc.record().config().process(), e.config,
                    c.hostConfig() == null ? null : c.hostConfig().groupAdd(), Path.of(rc.record().rootfs()), DaemonCapabilities.held());
            boolean stdin = !detach && Boolean.TRUE.equals(e.config.attachStdin());
            process = runtime.execStaged(new ExecRequest(c.id(), spec, null, null, false, 0,
                    Stdio.unrotated(stdin, null, socket)));
        } catch (LaunchException | dev.berth.oci.runtime.SpecException ex) {
            deleteQuietly(socket);
            String msg = String.valueOf(ex.getMessage()).replaceFirst(" \\(config\\.json [^)]*\\)$", "");
            // docker's codes: 127 the program is not there, 126 it cannot be run.
            int code = ex instanceof LaunchException l && l.failure() == LaunchException.Cause.PROGRAM_NOT_FOUND ? 127 : 126;
            ended(e, code);
            throw new EngineException(500, "OCI runtime exec failed: exec failed: unable to start container process: " + msg + ": unknown", ex);
        } catch (ContainerException ex) {
            deleteQuietly(socket);
            ended(e, 126);
            throw new EngineException(409, "container " + c.id() + " is not running", ex);
        } catch (IOException | RuntimeException ex) {
            deleteQuietly(socket);
            ended(e, 126);
            throw ex;
        }
        AttachSession attach = null;
        try {
            if (socket != null) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(socket));
                attach = new AttachSession(ch);
            }
            synchronized (e) {
                e.running = true;
                e.pid = process.pid();
                e.attach = attach;
            }
            process.release();
        } catch (IOException | RuntimeException ex) {
            if (attach != null) {
                attach.close();
            }
            process.close();
            deleteQuietly(socket);
            ended(e, 126);
            throw ex;
        }
        Started started = new Started(e, process, attach, socket);
        if (detach) {
            Thread.ofVirtual().name("exec-" + e.id.substring(0, 12)).start(() -> {
                try {
                    started.awaitExit();
                } catch (IOException | InterruptedException ignored) {
                    // recorded as far as it got
                }
            });
            return null;
        }
        return started;
    }

    /**
     * Resizes the terminal of an exec. The docker CLI sends the first resize as soon as its
     * hijacked start is answered, which can be before the process is running: that one waits
     * (briefly) for it, as dockerd's does. An exec without a terminal ignores it.
     */
    public void resize(String execId, int height, int width) throws IOException, InterruptedException {
        Exec e = find(execId);
        long deadline = System.nanoTime() + 2_000_000_000L;
        for (;;) {
            AttachSession a;
            boolean ended;
            synchronized (e) {
                a = e.attach;
                ended = e.exitCode != null;
            }
            if (a != null) {
                synchronized (a) {
                    a.resize(height, width);
                }
                return;
            }
            if (ended || System.nanoTime() > deadline) {
                throw new EngineException(409, "Exec " + e.id + " is not running");
            }
            Thread.sleep(5);
        }
    }

    /** A started, attached exec. Writes to its stdin are serialized with resizes. */
    public final class Started {
        private final Exec exec;
        private final ExecProcess process;
        private final AttachSession attach;
        private final Path socket;

        private Started(Exec exec, ExecProcess process, AttachSession attach, Path socket) {
            this.exec = exec;
            this.process = process;
            this.attach = attach;
            this.socket = socket;
        }

        /** The next output, or null once the process has ended and its output is drained. */
        public Output next() throws IOException {
            return attach.next();
        }

        public void stdin(byte[] buf, int len) throws IOException {
            synchronized (attach) {
                attach.stdin(buf, len);
            }
        }

        public void closeStdin() throws IOException {
            synchronized (attach) {
                attach.closeStdin();
            }
        }

        /**
         * Ends the attach while the process runs on: its output is no longer relayed (the shim
         * drops what nobody reads), a pending {@link #next} fails, resizes are refused. {@code
         * byKeys}: the client typed the detach keys, which /events reports as exec_detach.
         */
        public void detach(boolean byKeys) {
            boolean running;
            synchronized (exec) {
                running = exec.exitCode == null;
                if (exec.attach == attach) {
                    exec.attach = null;
                }
            }
            try {
                attach.close();
            } catch (IOException ignored) {
                // closed already
            }
            if (byKeys && running) {
                try {
                    containers.events().publish("exec_detach", containers.get(exec.containerId), Map.of("execID", exec.id));
                } catch (EngineException gone) {
                    // removed meanwhile: nobody to tell
                }
            }
        }

        /** Waits for the process to end and records its exit code (before returning it, so an inspect right after sees it). */
        public int awaitExit() throws IOException, InterruptedException {
            int code;
            try {
                code = process.awaitExit();
            } finally {
                process.close();
                if (attach != null) {
                    attach.close();
                }
                deleteQuietly(socket);
            }
            ended(exec, code);
            return code;
        }
    }

    /** Records the exit code (before telling /events, so an inspect after exec_die sees it). */
    private void ended(Exec e, int code) {
        synchronized (e) {
            e.exitCode = code;
            e.running = false;
            e.attach = null;
        }
        ContainerRecord c;
        try {
            c = containers.get(e.containerId);
        } catch (EngineException gone) {
            return; // removed with its container: nobody to tell
        }
        containers.events().publish("exec_die", c, Map.of("execID", e.id, "exitCode", Integer.toString(code)));
    }

    private Exec find(String execId) {
        Exec e = byId.get(execId);
        if (e == null) {
            throw new EngineException(404, "No such exec instance: " + execId);
        }
        try {
            containers.get(e.containerId);
        } catch (EngineException gone) {
            // The container was removed: its execs go with it, as dockerd's do.
            byId.remove(execId);
            throw new EngineException(404, "No such exec instance: " + execId);
        }
        return e;
    }

    /** Execs live as long as their container, as dockerd's do; this keeps the map from growing without end. */
    private void forgetExecsOfRemovedContainers() {
        byId.values().removeIf(e -> {
            try {
                containers.get(e.containerId);
                return false;
            } catch (EngineException gone) {
                return gone.status() == 404;
            }
        });
    }

    private static void requireRunning(ContainerRecord c) {
        if (c.status().equals("paused")) {
            throw new EngineException(409, "Container " + c.id() + " is paused, unpause the container before exec");
        }
        if (!c.status().equals("running")) {
            throw new EngineException(409, "container " + c.id() + " is not running");
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the shim's socket file; harmless if left
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }
}
