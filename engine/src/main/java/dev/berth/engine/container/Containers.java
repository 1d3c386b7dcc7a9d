package dev.berth.engine.container;

import dev.berth.cgroups.CgroupManager;
import dev.berth.engine.EngineException;
import dev.berth.engine.HostFacts;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.image.Images;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.spec.SpecGenerator;
import dev.berth.engine.spec.SpecRequest;
import dev.berth.image.Image;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.AtomicFiles;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.Container;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.CreateRequest;
import dev.berth.runtime.Status;
import dev.berth.runtime.stdio.Stdio;
import dev.berth.storage.snapshot.Mounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Containers as docker has them: created from an image with a read-write layer and a generated
 * config.json, started through the runtime with the shim holding stdio (so they outlive the
 * daemon), watched until they exit, removed with everything they had.
 *
 * Layout: dataRoot/containers/<id>/ holds container.json, the /etc files and the log;
 * execRoot/bundles/<id>/ the OCI bundle (config.json, rootfs mount point); execRoot/runtime the
 * runtime's state; execRoot/attach/<id16>.sock the shim's attach socket.
 */
public final class Containers {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataRoot;
    private final Path execRoot;
    private final Images images;
    private final BerthRuntime runtime;
    private final DaemonConfig config;
    private final ContainerNames names = new ContainerNames();
    private final Map<String, ContainerRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Attach requests waiting for a container's shim (see {@link #attach}). */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> pendingAttach = new ConcurrentHashMap<>();

    public Containers(Path dataRoot, Path execRoot, Images images, BerthRuntime runtime, DaemonConfig config) throws IOException {
        this.dataRoot = dataRoot;
        this.execRoot = execRoot;
        this.images = images;
        this.runtime = runtime;
        this.config = config;
        Files.createDirectories(dataRoot.resolve("containers"));
        Files.createDirectories(execRoot.resolve("bundles"));
        Files.createDirectories(execRoot.resolve("attach"));
        restore();
    }

    /** Reads every container.json back (daemon restart); running ones are watched again. */
    private void restore() throws IOException {
        try (Stream<Path> dirs = Files.list(dataRoot.resolve("containers"))) {
            for (Path d : dirs.toList()) {
                Path file = d.resolve("container.json");
                if (Files.exists(file)) {
                    ContainerRecord r = Json.parse(Files.readString(file), ContainerRecord.class);
                    byId.put(r.id(), r);
                    names.reserve(r.name(), r.id());
                }
            }
        }
    }

    public Path logFile(String id) {
        return dir(id).resolve(id + "-log");
    }

    public Path attachSocket(String id) {
        return execRoot.resolve("attach").resolve(id.substring(0, 16) + ".sock");
    }

    private Path dir(String id) {
        return dataRoot.resolve("containers").resolve(id);
    }

    private Path bundle(String id) {
        return execRoot.resolve("bundles").resolve(id);
    }

    public ContainerRecord create(String name, ContainerConfig cfg, HostConfig host) throws IOException {
        if (cfg == null || cfg.image() == null || cfg.image().isEmpty()) {
            throw new EngineException(400, "config cannot be empty in order to create a container");
        }
        Image image = images.resolve(cfg.image());
        String id = HexFormat.of().formatHex(randomBytes());
        String reserved = names.reserve(name, id);
        Path dir = dir(id);
        Path bundle = bundle(id);
        boolean layerMade = false;
        try {
            Files.createDirectories(dir);
            Files.createDirectories(bundle.resolve("rootfs"));
            var mounts = images.layers().createReadWrite(id, image.topChainId().orElse(null));
            layerMade = true;
            Mounter.mount(mounts, bundle.resolve("rootfs"));
            HostConfig hc = host == null ? null : host;
            Spec spec = SpecGenerator.generate(new SpecRequest(id, cfg, hc, image.config(), bundle.resolve("rootfs"), dir,
                    DaemonCapabilities.held(), HostFacts.cgroupV2(), "/berth/" + id));
            EtcFiles.write(dir, spec.hostname(), hc != null && "host".equals(hc.networkMode()));
            Files.writeString(bundle.resolve("config.json"), Json.write(spec));
            ContainerRecord r = new ContainerRecord(id, reserved, Instant.now().toString(), image.id().toString(),
                    cfg.image(), cfg, hc, spec.process().args(), "created", 0, false, null, null, 0);
            save(r);
            return r;
        } catch (IOException | RuntimeException e) {
            undoCreate(id, reserved, layerMade);
            throw e;
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    private void undoCreate(String id, String name, boolean layerMade) {
        // Each step on its own: a mount that never happened must not keep the layer or the dirs.
        try {
            if (layerMade) {
                unmountIfMounted(bundle(id).resolve("rootfs"));
                images.layers().removeReadWrite(id);
            }
        } catch (IOException ignored) {
            // best effort; the original error is what the caller needs
        }
        try {
            deleteTree(bundle(id));
            deleteTree(dir(id));
        } catch (IOException ignored) {
            // as above
        }
        names.release(name);
        byId.remove(id);
    }

    /** Unmounts a container's rootfs; one that is not mounted (never was, or /run was wiped) is fine. */
    private static void unmountIfMounted(Path rootfs) throws IOException {
        try {
            Mounter.unmount(rootfs);
        } catch (IOException e) {
            if (!(e.getCause() instanceof dev.berth.sys.SyscallException s)
                    || (s.errno().number() != dev.berth.sys.Errno.EINVAL && s.errno().number() != dev.berth.sys.Errno.ENOENT)) {
                throw e;
            }
        }
    }

    /** A container by full id, unique id prefix or name; docker's 404 otherwise. */
    public ContainerRecord get(String idOrName) {
        ContainerRecord r = find(idOrName);
        if (r == null) {
            throw new EngineException(404, "No such container: " + idOrName);
        }
        return refresh(r);
    }

    private ContainerRecord find(String idOrName) {
        ContainerRecord r = byId.get(idOrName);
        if (r != null) {
            return r;
        }
        String byName = names.idOf(idOrName).orElse(null);
        if (byName != null && byId.containsKey(byName)) {
            return byId.get(byName);
        }
        List<ContainerRecord> prefixed = byId.values().stream().filter(c -> c.id().startsWith(idOrName)).toList();
        if (prefixed.size() > 1) {
            throw new EngineException(400, "multiple IDs found with provided prefix: " + idOrName);
        }
        return prefixed.isEmpty() ? null : prefixed.getFirst();
    }

    public List<ContainerRecord> list(boolean all) {
        return byId.values().stream().map(this::refresh)
                .filter(r -> all || r.status().equals("running") || r.status().equals("paused"))
                .sorted(Comparator.comparing(ContainerRecord::created).reversed()).toList();
    }

    public void start(String idOrName) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            if (r.status().equals("running") || r.status().equals("paused")) {
                throw new EngineException(304, "container already started");
            }
            try {
                runtime.delete(r.id(), true);
            } catch (ContainerException | InterruptedException ignored) {
                // no previous run to clean up
            }
            boolean openStdin = r.config() != null && Boolean.TRUE.equals(r.config().openStdin());
            try {
                runtime.create(new CreateRequest(r.id(), bundle(r.id()), null, null, false, 0, true,
                        new Stdio(openStdin, logFile(r.id()), config.logMaxBytes(), config.logMaxFiles(), attachSocket(r.id()))));
            } catch (IOException | RuntimeException e) {
                // The start failed: it ends like an exit (so waiters return), with docker's codes:
                // 127 the program was not found, 126 it could not be run, 128 anything else.
                String msg = String.valueOf(e.getMessage());
                int code = msg.contains("not found") || msg.contains("no such file") ? 127 : msg.contains("permission denied") ? 126 : 128;
                ContainerRecord failed = save(r.withStatus("exited", code, false, r.startedAt(), Instant.now().toString()));
                if (r.hostConfig() != null && Boolean.TRUE.equals(r.hostConfig().autoRemove())) {
                    Thread.ofVirtual().start(() -> removeQuietly(failed.id()));
                }
                throw new EngineException(400, "failed to create task for container: " + msg, e);
            }
            try {
                awaitAttachers(r.id());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runtime.start(r.id());
            save(r.withStatus("running", 0, false, Instant.now().toString(), r.finishedAt()));
        }
    }

    /** Re-reads a running container's state from the runtime; an exit is recorded once. */
    private ContainerRecord refresh(ContainerRecord r) {
        if (!r.status().equals("running") && !r.status().equals("paused")) {
            return r;
        }
        synchronized (lock(r.id())) {
            // Another thread may have recorded the exit (or removed the container) while we waited.
            ContainerRecord current = byId.get(r.id());
            if (current == null || (!current.status().equals("running") && !current.status().equals("paused"))) {
                return current == null ? r : current;
            }
            try {
                Container c = runtime.load(r.id());
                Status s = c.status();
                if (s == Status.RUNNING || s == Status.PAUSED) {
                    String status = s == Status.PAUSED ? "paused" : "running";
                    return status.equals(current.status()) ? current : save(current.withStatus(status, 0, false, current.startedAt(), null));
                }
                int code = exitCode(c);
                boolean oom = oomKilled(c);
                runtime.delete(r.id(), true);
                ContainerRecord exited = save(current.withStatus("exited", code < 0 ? 255 : code, oom, current.startedAt(), Instant.now().toString()));
                if (current.hostConfig() != null && Boolean.TRUE.equals(current.hostConfig().autoRemove())) {
                    Thread.ofVirtual().start(() -> removeQuietly(exited.id()));
                }
                return exited;
            } catch (ContainerException e) {
                return save(current.withStatus("exited", 255, false, current.startedAt(), Instant.now().toString()));
            } catch (IOException | InterruptedException e) {
                throw new EngineException(500, "reading the state of " + r.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The process is gone; its shim writes the exit record a moment later. Wait for it (bounded). */
    private static int exitCode(Container c) throws InterruptedException {
        for (int i = 0; i < 100 && c.exitCode() < 0; i++) {
            Thread.sleep(10);
        }
        return c.exitCode();
    }

    private static boolean oomKilled(Container c) {
        try {
            CgroupManager cg = c.cgroup();
            return cg.oomKillCount() > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Blocks until the condition holds: "not-running" (the default), "next-exit" (an exit after
     * this call) or "removed"; returns the last exit code.
     */
    public int waitFor(String idOrName, String condition) throws InterruptedException {
        ContainerRecord last = get(idOrName);
        String finishedBefore = last.finishedAt();
        for (;;) {
            ContainerRecord now = byId.get(last.id());
            if (now == null) {
                return last.exitCode();
            }
            last = refresh(now);
            boolean exited = last.status().equals("exited");
            switch (condition == null || condition.isEmpty() ? "not-running" : condition) {
                case "not-running" -> {
                    if (exited || last.status().equals("created")) {
                        return last.exitCode();
                    }
                }
                case "next-exit" -> {
                    if (exited && !java.util.Objects.equals(last.finishedAt(), finishedBefore)) {
                        return last.exitCode();
                    }
                }
                case "removed" -> { }
                default -> throw new EngineException(400, "invalid condition: \"" + condition + "\"");
            }
            // Exits are noticed by looking (the runtime's state, the shim's exit record); a short
            // period keeps `docker run` latency low. A wake-up on the shim's exit is the next step.
            Thread.sleep(5);
        }
    }

    /**
     * Registers an attach to a container's shim. Called before the client is told the attach
     * is established: docker run then starts the container, and the start waits (bounded) for
     * every registered attach to connect, so no early output is missed.
     */
    public PendingAttach attach(String idOrName) {
        ContainerRecord r = get(idOrName);
        java.util.concurrent.atomic.AtomicInteger pending = pendingAttach.computeIfAbsent(r.id(), k -> new java.util.concurrent.atomic.AtomicInteger());
        pending.incrementAndGet();
        return new PendingAttach(r.id(), pending);
    }

    /** An attach registered but not yet connected; see {@link #attach}. */
    public final class PendingAttach implements AutoCloseable {
        private final String id;
        private final java.util.concurrent.atomic.AtomicInteger pending;
        private boolean counted = true;

        private PendingAttach(String id, java.util.concurrent.atomic.AtomicInteger pending) {
            this.id = id;
            this.pending = pending;
        }

        /** Waits for the container's shim (its start), then connects to it. */
        public AttachSession connect() throws IOException, InterruptedException {
            try {
                Path socket = attachSocket(id);
                while (!Files.exists(socket)) {
                    ContainerRecord now = byId.get(id);
                    if (now == null || now.status().equals("exited")) {
                        throw new EngineException(409, "container " + id + " is not running");
                    }
                    Thread.sleep(5);
                }
                // The socket file appears at the shim's bind, a moment before its listen: a refused
                // connect in between is retried, or the attach would end with no output at all.
                while (true) {
                    java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
                    try {
                        ch.connect(java.net.UnixDomainSocketAddress.of(socket));
                        return new AttachSession(ch);
                    } catch (java.net.ConnectException e) {
                        ch.close();
                        ContainerRecord now = byId.get(id);
                        if (now == null || now.status().equals("exited")) {
                            throw new EngineException(409, "container " + id + " is not running");
                        }
                        Thread.sleep(5);
                    }
                }
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            if (counted) {
                counted = false;
                pending.decrementAndGet();
            }
        }
    }

    private void awaitAttachers(String id) throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger pending = pendingAttach.get(id);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (pending != null && pending.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    public void kill(String idOrName, int signal) throws IOException {
        ContainerRecord r = get(idOrName);
        if (!r.status().equals("running") && !r.status().equals("paused")) {
            throw new EngineException(409, "Container " + r.id() + " is not running");
        }
        runtime.kill(r.id(), signal, false);
    }

    /** The stop signal, then SIGKILL after the timeout (docker's stop). */
    public void stop(String idOrName, Integer timeoutSeconds) throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        if (!r.status().equals("running") && !r.status().equals("paused")) {
            return;
        }
        int timeout = timeoutSeconds != null ? timeoutSeconds
                : r.config() != null && r.config().stopTimeout() != null ? r.config().stopTimeout() : 10;
        runtime.kill(r.id(), StopSignal.of(r.config()), false);
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        while (System.nanoTime() < deadline && get(r.id()).status().equals("running")) {
            Thread.sleep(20);
        }
        if (get(r.id()).status().equals("running")) {
            runtime.kill(r.id(), 9, true);
            waitFor(r.id(), "not-running");
        }
    }

    public void remove(String idOrName, boolean force) throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            if ((r.status().equals("running") || r.status().equals("paused")) && !force) {
                throw new EngineException(409, "cannot remove container \"/" + r.name() + "\": container is running: "
                        + "stop the container before removing or force remove");
            }
            try {
                runtime.delete(r.id(), true);
            } catch (ContainerException ignored) {
                // not started, or already cleaned up
            }
            unmountIfMounted(bundle(r.id()).resolve("rootfs"));
            images.layers().removeReadWrite(r.id());
            deleteTree(bundle(r.id()));
            deleteTree(dir(r.id()));
            Files.deleteIfExists(attachSocket(r.id()));
            names.release(r.name());
            byId.remove(r.id());
        }
    }

    private void removeQuietly(String id) {
        try {
            remove(id, true);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // --rm is best effort: a later `rm` reports what is left
            System.err.println("level=warning msg=\"auto-remove of " + id + " failed: " + e + "\"");
        }
    }

    private ContainerRecord save(ContainerRecord r) {
        try {
            AtomicFiles.write(dir(r.id()).resolve("container.json"), Json.write(r).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new EngineException(500, "saving container " + r.id() + ": " + e.getMessage(), e);
        }
        byId.put(r.id(), r);
        return r;
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /**
     * A container's logged output from the start; with {@code follow}, also what it writes
     * until it stops.
     */
    public void logs(String idOrName, boolean follow, LogFollower.Sink sink) throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        LogFollower.copy(logFile(r.id()), follow ? () -> get(r.id()).status().equals("running") : () -> false, sink);
    }

}
