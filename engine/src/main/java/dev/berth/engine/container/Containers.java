package dev.berth.engine.container;

import dev.berth.cgroups.CgroupManager;
import dev.berth.engine.EngineException;
import dev.berth.engine.HostFacts;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.events.Events;
import dev.berth.engine.image.Images;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.engine.network.EndpointConfig;
import dev.berth.engine.network.NetworkPlan;
import dev.berth.engine.network.NetworkViews;
import dev.berth.engine.spec.DefaultUlimits;
import dev.berth.engine.spec.SpecGenerator;
import dev.berth.engine.spec.SpecRequest;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.engine.volume.ImageVolumes;
import dev.berth.engine.volume.MountSpecs;
import dev.berth.image.Image;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.sys.AtomicFile;
import dev.berth.sys.Errno;
import dev.berth.sys.SyscallException;
import dev.berth.runtime.BerthRuntime;
import dev.berth.runtime.Container;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.CreateRequest;
import dev.berth.runtime.LaunchException;
import dev.berth.runtime.Status;
import dev.berth.runtime.stdio.Stdio;
import dev.berth.storage.LayerStore;
import dev.berth.storage.snapshot.Mounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
    private final ContainerMounts mounts;
    private final Events events;
    private final HealthMonitor health;
    private final ContainerNames names = new ContainerNames();
    private final Map<String, ContainerRecord> byId = new ConcurrentHashMap<>();
    /** One monitor per container: held while its state changes, notified when it exits. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Containers being stopped through the API: their exit cancels the restart policy once. */
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    /** The last restart delay of each container that restarts (docker's back-off). */
    private final Map<String, Duration> restartDelays = new ConcurrentHashMap<>();
    /**
     * The last exit code of recently removed containers, for a waiter ("removed", docker run
     * --rm) that wakes only after the removal: it must still report how the container ended.
     */
    private final Map<String, Integer> removedExitCodes = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > 1024;
                }
            });
    private final Attachments attachments;
    private final ContainerNetworking networking;

    public Containers(Path dataRoot, Path execRoot, Images images, BerthRuntime runtime, DaemonConfig config,
                      ContainerMounts mounts, Events events, ContainerNetworking networking) throws IOException {
        this.networking = networking;
        this.dataRoot = dataRoot;
        this.execRoot = execRoot;
        this.images = images;
        this.runtime = runtime;
        this.config = config;
        this.mounts = mounts;
        this.events = events;
        this.health = new HealthMonitor(runtime, this::healthChanged, this::dir);
        this.attachments = new Attachments(this::attachSocket, id -> {
            ContainerRecord now = byId.get(id);
            return now != null && !now.status().equals("exited");
        });
        Files.createDirectories(dataRoot.resolve("containers"));
        Files.createDirectories(execRoot.resolve("bundles"));
        Files.createDirectories(execRoot.resolve("attach"));
        restore();
    }

    /**
     * Reads every container.json back (daemon restart). Containers whose shims still run are
     * adopted again (docker's live-restore); those that exited meanwhile have their exit
     * recorded; those whose restart policy says so are started.
     */
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
        for (ContainerRecord r : List.copyOf(byId.values())) {
            try {
                if (r.isUp()) {
                    ContainerRecord now = refresh(r);
                    if (now.isUp()) {
                        runtime.onExit(r.id(), () -> exited(r.id()));
                        health.watch(now);
                    }
                } else if (r.status().equals("restarting") || (r.status().equals("exited")
                        && RestartPolicy.of(r.hostConfig()).restarts(r.exitCode(), r.restartCount(), r.manuallyStopped()))) {
                    synchronized (lock(r.id())) {
                        launch(r);
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("level=warning msg=\"restoring container " + r.id() + ": " + e.getMessage() + "\"");
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

    /** The container's root filesystem as mounted on the host (it stays mounted while the container exists). */
    public Path rootfs(String id) {
        return bundle(id).resolve("rootfs");
    }

    private Path bundle(String id) {
        return execRoot.resolve("bundles").resolve(id);
    }

    public ContainerRecord create(String name, ContainerConfig cfg, HostConfig host) throws IOException {
        return create(name, cfg, host, Map.of());
    }

    /**
     * docker create; {@code endpoints} is NetworkingConfig.EndpointsConfig (per network: --ip,
     * --network-alias).
     */
    public ContainerRecord create(String name, ContainerConfig cfg, HostConfig host, Map<String, EndpointConfig> endpoints)
            throws IOException {
        if (cfg == null || cfg.image() == null || cfg.image().isEmpty()) {
            throw new EngineException(400, "config cannot be empty in order to create a container");
        }
        RestartPolicy.of(host).validate(host != null && Boolean.TRUE.equals(host.autoRemove()));
        LogOptions.of(host, config);
        Image image = images.resolve(cfg.image());
        NetworkPlan plan = networking.plan(cfg, host, image.config() == null ? null : image.config().config(), endpoints);
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
            var points = this.mounts.prepare(id, MountSpecs.of(hc, ImageVolumes.of(cfg), ImageVolumes.of(image.config())), bundle.resolve("rootfs"));
            Spec spec = SpecGenerator.generate(new SpecRequest(id, cfg, DefaultUlimits.apply(hc, config.defaultUlimits()),
                    image.config(), bundle.resolve("rootfs"), dir,
                    DaemonCapabilities.held(), HostFacts.cgroupV2(), "/berth/" + id, points));
            ContainerNetworking.save(dir, plan);
            EtcFiles.write(dir, spec.hostname());
            networking.writeEtcFiles(dir, spec.hostname(), plan, hc);
            List<String> args = spec.process().args(); // what inspect shows: the command, not the init before it
            if (hc != null && Boolean.TRUE.equals(hc.init())) {
                spec = SpecGenerator.withInit(spec, runtime.shim());
            }
            Files.writeString(bundle.resolve("config.json"), Json.write(spec));
            ContainerRecord r = new ContainerRecord(id, reserved, Instant.now().toString(), image.id().toString(),
                    cfg.image(), cfg, hc, args, "created", 0, false, null, null, 0, false, 0, null);
            save(r);
            publish("create", r);
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
            mounts.release(id, true); // its anonymous volumes; named ones stay, as in docker
        } catch (IOException | RuntimeException ignored) {
            // as below
        }
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
        return list(all, Map.of());
    }

    /** docker ps: running ones (or all), newest first, matching docker's filters. */
    public List<ContainerRecord> list(boolean all, Map<String, List<String>> filters) {
        ContainerFilter filter = ContainerFilter.of(filters, this::find, ContainerFilter.PS_KEYS);
        return byId.values().stream().map(this::refresh)
                .filter(r -> all || filters.containsKey("status") || r.isUp() || r.status().equals("restarting"))
                .filter(filter)
                .sorted(Comparator.comparing(ContainerRecord::created).reversed()).toList();
    }

    public void start(String idOrName) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            if (r.isUp()) {
                throw new EngineException(304, "container already started");
            }
            launch(r.withManuallyStopped(false));
        }
    }

    /**
     * Runs the container's process under a fresh shim, then watches for its exit. A failed
     * launch ends like an exit (so waiters return), with docker's codes: 127 the program was not
     * found, 126 it could not be run, 128 anything else (the runtime says which).
     */
    private void launch(ContainerRecord r) throws IOException {
        try {
            runtime.delete(r.id(), true);
        } catch (ContainerException | InterruptedException ignored) {
            // no previous run to clean up
        }
        boolean openStdin = r.config() != null && Boolean.TRUE.equals(r.config().openStdin());
        LogOptions log = LogOptions.of(r.hostConfig(), config);
        joinNetworkOfContainer(r);
        Path logFile = logFile(r.id());
        int pid;
        try {
            pid = runtime.create(new CreateRequest(r.id(), bundle(r.id()), null, null, false, 0, true,
                    new Stdio(openStdin, logFile, log.maxBytes(), log.rotations(logFile), attachSocket(r.id()))))
                    .container().record().pid();
        } catch (IOException | RuntimeException e) {
            String msg = String.valueOf(e.getMessage());
            int code = !(e instanceof LaunchException l) ? 128 : switch (l.failure()) {
                case PROGRAM_NOT_FOUND -> 127;
                case PROGRAM_NOT_RUNNABLE -> 126;
                case OTHER -> 128;
            };
            ContainerRecord failed = save(r.withStatus("exited", code, false, r.startedAt(), Instant.now().toString()));
            publish("die", failed, Map.of("exitCode", String.valueOf(code)));
            signalWaiters(r.id());
            if (autoRemove(r)) {
                Thread.ofVirtual().start(() -> removeQuietly(failed.id()));
            }
            throw new EngineException(400, "failed to create task for container: " + msg, e);
        }
        try {
            // Between create (the netns exists, pid known) and start (nothing runs yet).
            networking.publish(events, "connect", r.id(),
                    networking.connectAll(r.id(), r.name(), pid, dir(r.id()), r.hostConfig(), hostname(r)));
        } catch (RuntimeException e) {
            // Nothing half-made: connectAll undid its endpoints; the process never ran.
            try {
                runtime.delete(r.id(), true);
            } catch (IOException | RuntimeException | InterruptedException ignored) {
                // the error that matters is the network's
            }
            if (r.status().equals("restarting")) {
                // A restart policy's start that cannot connect: down, not restarting for ever.
                save(r.withStatus("exited", 128, false, r.startedAt(), Instant.now().toString()));
                signalWaiters(r.id());
            }
            throw e;
        }
        try {
            attachments.awaitConnected(r.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            runtime.start(r.id());
        } catch (IOException | RuntimeException e) {
            networking.disconnectAll(r.id());
            throw e;
        }
        ContainerRecord running = save(r.started(pid, Instant.now().toString(),
                health.configured(r) ? HealthState.starting() : null));
        publish("start", running);
        runtime.onExit(r.id(), () -> exited(r.id()));
        health.watch(running);
    }

    /** The hostname the container's /etc files name: its Config.Hostname, else its short id (docker's). */
    private static String hostname(ContainerRecord r) {
        return r.config() != null && r.config().hostname() != null && !r.config().hostname().isEmpty()
                ? r.config().hostname() : r.id().substring(0, 12);
    }

    /**
     * --network container:x: the config.json joins x's netns (the path of its running init, so
     * each start re-reads it) and the container gets x's hosts and resolv.conf, as in docker.
     */
    private void joinNetworkOfContainer(ContainerRecord r) throws IOException {
        String mode = ContainerNetworking.mode(r.hostConfig());
        if (!mode.startsWith("container:")) {
            return;
        }
        ContainerRecord target = get(mode.substring("container:".length()));
        if (target.id().equals(r.id())) {
            throw new EngineException(400, "cannot join own network namespace");
        }
        if (!target.status().equals("running")) {
            throw new EngineException(409, "cannot join network namespace of a non running container: container "
                    + target.id() + " is " + target.status());
        }
        Path configJson = bundle(r.id()).resolve("config.json");
        Spec spec = Json.parse(Files.readString(configJson), Spec.class);
        Files.writeString(configJson, Json.write(SpecGenerator.withNetworkNamespace(spec, "/proc/" + target.pid() + "/ns/net")));
        for (String f : List.of("hosts", "resolv.conf")) {
            Path from = dir(target.id()).resolve(f);
            if (Files.exists(from)) {
                ContainerNetworking.writeInPlace(dir(r.id()).resolve(f), Files.readString(from));
            }
        }
    }

    /** docker network connect: a running container is connected at once, a stopped one at its next start. */
    public void connectNetwork(String idOrName, String network, EndpointConfig cfg) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            networking.connect(r.id(), r.name(), r.isUp() ? r.pid() : 0, dir(r.id()), r.hostConfig(), hostname(r), network,
                    cfg == null ? EndpointConfig.NONE : cfg);
        }
        var n = networking.network(network);
        events.publish("network", "connect", n.id(), Map.of("container", r.id(), "name", n.name(), "type", "bridge"));
    }

    /** docker network disconnect. */
    public void disconnectNetwork(String idOrName, String network, boolean force) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            networking.disconnect(r.id(), dir(r.id()), r.hostConfig(), hostname(r), network, force);
        }
        String id = r.id();
        networking.networks().find(network).ifPresent(n -> events.publish("network", "disconnect", n.id(),
                Map.of("container", id, "name", n.name(), "type", "bridge")));
    }

    /** Whether some container's plan names the network (docker network rm/prune leave those... only with endpoints). */
    public ContainerNetworking networking() {
        return networking;
    }

    /** Inspect's NetworkSettings. */
    public Map<String, Object> networkSettings(ContainerRecord r) {
        NetworkPlan plan = ContainerNetworking.load(dir(r.id()), r.hostConfig());
        Map<String, dev.berth.network.Network> byName = new java.util.HashMap<>();
        for (String n : plan.networks().keySet()) {
            networking.networks().find(n).ifPresent(net -> byName.put(n, net));
        }
        networking.networks().find(dev.berth.network.Networks.DEFAULT_NETWORK).ifPresent(net -> byName.put(net.name(), net));
        return NetworkViews.settings(plan, networking.endpointsOf(r.id()), byName, networking.options().defaultBridge(),
                r.pid(), r.isUp());
    }

    /** The list's Ports. */
    public List<Map<String, Object>> ports(ContainerRecord r) {
        return NetworkViews.summaryPorts(ContainerNetworking.load(dir(r.id()), r.hostConfig()), networking.endpointsOf(r.id()), r.isUp());
    }

    /** The shim of a container exited: record the exit, wake waiters, apply the restart policy. */
    private void exited(String id) {
        ContainerRecord r = byId.get(id);
        if (r != null) {
            try {
                refresh(r);
            } catch (RuntimeException e) {
                System.err.println("level=warning msg=\"recording the exit of " + id + ": " + e.getMessage() + "\"");
            }
        }
    }

    /** Re-reads a running container's state from the runtime; an exit is recorded once. */
    private ContainerRecord refresh(ContainerRecord r) {
        if (!r.isUp()) {
            return r;
        }
        synchronized (lock(r.id())) {
            // Another thread may have recorded the exit (or removed the container) while we waited.
            ContainerRecord current = byId.get(r.id());
            if (current == null || !current.isUp()) {
                return current == null ? r : current;
            }
            try {
                Container c = runtime.load(r.id());
                Status s = c.status();
                if (s == Status.RUNNING || s == Status.PAUSED) {
                    String status = s == Status.PAUSED ? "paused" : "running";
                    return status.equals(current.status()) ? current : save(current.withStatus(status));
                }
                int code = exitCode(c);
                boolean oom = oomKilled(c);
                runtime.delete(r.id(), true);
                return recordExit(current, code < 0 ? 255 : code, oom);
            } catch (ContainerException e) {
                return recordExit(current, 255, false);
            } catch (IOException | InterruptedException e) {
                throw new EngineException(500, "reading the state of " + r.id() + ": " + e.getMessage(), e);
            }
        }
    }

    /** Called with the container's lock held, once per exit. */
    private ContainerRecord recordExit(ContainerRecord current, int code, boolean oom) {
        // Its netns is gone with its process: release its leases, port rules and veths' records.
        networking.publish(events, "disconnect", current.id(), networking.disconnectAll(current.id()));
        RestartPolicy policy = RestartPolicy.of(current.hostConfig());
        boolean canceled = stopping.remove(current.id());
        boolean again = !canceled && !autoRemove(current) && policy.restarts(code, current.restartCount(), current.manuallyStopped());
        ContainerRecord exited = save(new ContainerRecord(current.id(), current.name(), current.created(), current.imageId(),
                current.imageRef(), current.config(), current.hostConfig(), current.args(), again ? "restarting" : "exited",
                code, oom, current.startedAt(), Instant.now().toString(), current.restartCount(), current.manuallyStopped(), 0,
                current.health() == null ? null : new HealthState("unhealthy", current.health().failingStreak(), current.health().log())));
        if (oom) {
            publish("oom", exited);
        }
        publish("die", exited, Map.of("exitCode", String.valueOf(code)));
        signalWaiters(current.id());
        if (again) {
            scheduleRestart(exited);
        } else if (autoRemove(current)) {
            Thread.ofVirtual().start(() -> removeQuietly(exited.id()));
        }
        return exited;
    }

    /** docker's restart manager: start again after a delay that doubles while the container keeps failing fast. */
    private void scheduleRestart(ContainerRecord exited) {
        Duration ran = exited.startedAt() == null ? Duration.ZERO
                : Duration.between(Instant.parse(exited.startedAt()), Instant.parse(exited.finishedAt()));
        Duration delay = RestartPolicy.nextDelay(restartDelays.get(exited.id()), ran);
        restartDelays.put(exited.id(), delay);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(delay);
                synchronized (lock(exited.id())) {
                    ContainerRecord now = byId.get(exited.id());
                    if (now == null || !now.status().equals("restarting")) {
                        return; // stopped or removed meanwhile
                    }
                    launch(now.withRestartCount(now.restartCount() + 1));
                    publish("restart", now);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                System.err.println("level=warning msg=\"restarting " + exited.id() + ": " + e.getMessage() + "\"");
            }
        });
    }

    private static boolean autoRemove(ContainerRecord r) {
        return r.hostConfig() != null && Boolean.TRUE.equals(r.hostConfig().autoRemove());
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

    private void signalWaiters(String id) {
        Object lock = lock(id);
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Blocks until the condition holds: "not-running" (the default), "next-exit" (an exit after
     * this call) or "removed"; returns the last exit code. Exits wake the waiters (the shim's
     * exit is watched); the bounded wait is only a safety net.
     */
    public int waitFor(String idOrName, String condition) throws InterruptedException {
        String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
        if (!List.of("not-running", "next-exit", "removed").contains(cond)) {
            throw new EngineException(400, "invalid condition: \"" + condition + "\"");
        }
        ContainerRecord last = get(idOrName);
        String finishedBefore = last.finishedAt();
        Object lock = lock(last.id());
        synchronized (lock) {
            for (;;) {
                ContainerRecord now = byId.get(last.id());
                if (now == null) {
                    return removedExitCodes.getOrDefault(last.id(), last.exitCode());
                }
                last = refresh(now);
                boolean stopped = !last.isUp();
                boolean done = switch (cond) {
                    case "not-running" -> stopped;
                    case "next-exit" -> stopped && !last.status().equals("created") && !Objects.equals(last.finishedAt(), finishedBefore);
                    default -> false;
                };
                if (done) {
                    return last.exitCode();
                }
                lock.wait(1000);
            }
        }
    }

    /**
     * Registers an attach to a container's shim. Called before the client is told the attach
     * is established: docker run then starts the container, and the start waits (bounded) for
     * every registered attach to connect, so no early output is missed.
     */
    public Attachments.Pending attach(String idOrName) {
        return attachments.register(get(idOrName).id());
    }

    /** Bytes in the container's read-write layer (docker's SizeRw); 0 once it is gone. */
    public long sizeRw(String id) {
        try {
            return images.layers().snapshotter().usage(LayerStore.readWriteKey(id)).size();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** SizeRw plus the image's content (docker's SizeRootFs). */
    public long sizeRootFs(ContainerRecord r) {
        long image;
        try {
            image = images.inspect(r.imageId()).size();
        } catch (RuntimeException gone) {
            image = 0;
        }
        return sizeRw(r.id()) + image;
    }

    /** The size of a running container's terminal (docker run -t and attach send it on every change). */
    public void resize(String idOrName, int height, int width) throws IOException {
        ContainerRecord r = get(idOrName);
        if (!r.isUp()) {
            throw new EngineException(409, "Container " + r.id() + " is not running");
        }
        if (r.config() != null && Boolean.TRUE.equals(r.config().tty())) {
            attachments.resize(r.id(), height, width);
        }
    }

    public void kill(String idOrName, int signal) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            if (!r.isUp()) {
                throw new EngineException(409, "Container " + r.id() + " is not running");
            }
            // docker: a killed container counts as manually stopped ("unless-stopped" leaves it
            // down), but unlike a stop the kill does not cancel "always" or "on-failure".
            save(r.withManuallyStopped(true));
        }
        if (!signal(r.id(), signal, false)) {
            throw new EngineException(409, "Container " + r.id() + " is not running");
        }
        publish("kill", r, Map.of("signal", String.valueOf(signal)));
    }

    /**
     * Sends {@code signal} to the container's init (or every process of it); false when the runtime
     * finds it already stopped: it exited after our record last said it was up, and its exit is
     * about to be recorded. Callers that end a container (stop, rm -f) go on to wait for that.
     */
    private boolean signal(String id, int signal, boolean all) throws IOException {
        try {
            runtime.kill(id, signal, all);
            return true;
        } catch (ContainerException alreadyStopped) {
            return false;
        } catch (SyscallException e) {
            if (e.errno().number() == Errno.ESRCH) {
                return false; // gone between the runtime's look at it and the signal
            }
            throw e;
        }
    }

    /** The stop signal, then SIGKILL after the timeout (docker's stop). */
    public void stop(String idOrName, Integer timeoutSeconds) throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            if (r.status().equals("restarting")) {
                save(r.withManuallyStopped(true).withStatus("exited"));
                signalWaiters(r.id());
                publish("stop", r);
                return;
            }
            if (!r.isUp()) {
                return;
            }
            save(r.withManuallyStopped(true));
            stopping.add(r.id());
        }
        int timeout = timeoutSeconds != null ? timeoutSeconds
                : r.config() != null && r.config().stopTimeout() != null ? r.config().stopTimeout() : 10;
        int signal = StopSignal.of(r.config());
        if (r.status().equals("paused")) {
            runtime.resume(r.id()); // a frozen process cannot act on the signal
        }
        signal(r.id(), signal, false); // false: it exited on its own meanwhile; the wait below sees that
        publish("kill", r, Map.of("signal", String.valueOf(signal)));
        if (!awaitExit(r.id(), timeout < 0 ? Duration.ofDays(365) : Duration.ofSeconds(timeout))) {
            signal(r.id(), 9, true);
            publish("kill", r, Map.of("signal", "9"));
            waitFor(r.id(), "not-running");
        }
        publish("stop", r);
    }

    /** Waits (woken by the exit) until the container is no longer up; false on timeout. */
    private boolean awaitExit(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object lock = lock(id);
        synchronized (lock) {
            for (;;) {
                ContainerRecord now = byId.get(id);
                if (now == null || !refresh(now).isUp()) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
            }
        }
    }

    /** docker restart: stop (with the timeout), then start. */
    public void restart(String idOrName, Integer timeoutSeconds) throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        stop(r.id(), timeoutSeconds);
        synchronized (lock(r.id())) {
            ContainerRecord now = byId.get(r.id());
            if (now == null) {
                throw new EngineException(404, "No such container: " + idOrName);
            }
            if (!now.isUp()) {
                launch(now.withManuallyStopped(false));
            }
        }
        publish("restart", r);
    }

    public void pause(String idOrName) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            if (r.status().equals("paused")) {
                throw new EngineException(409, "Container " + r.id() + " is already paused");
            }
            if (!r.isUp()) {
                throw new EngineException(409, "Container " + r.id() + " is not running");
            }
            runtime.pause(r.id());
            save(r.withStatus("paused"));
        }
        publish("pause", r);
    }

    public void unpause(String idOrName) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            if (!r.status().equals("paused")) {
                throw new EngineException(409, "Container " + r.id() + " is not paused");
            }
            runtime.resume(r.id());
            save(r.withStatus("running"));
        }
        publish("unpause", r);
    }

    public void rename(String idOrName, String newName) {
        if (newName == null || newName.isEmpty()) {
            throw new EngineException(400, "Neither old nor new names may be empty");
        }
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            String reserved = names.reserve(newName, r.id());
            if (!reserved.equals(r.name())) {
                names.release(r.name());
            }
            save(r.withName(reserved));
            networking.networks().rename(r.id(), reserved);
            publish("rename", byId.get(r.id()), Map.of("oldName", "/" + r.name()));
        }
    }

    /**
     * docker update: new resource limits (applied to the running container's cgroup at once)
     * and restart policy; kept for later starts.
     */
    public void update(String idOrName, HostConfig changes) throws IOException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            HostConfig merged = HostConfigUpdate.apply(r.hostConfig(), changes);
            RestartPolicy.of(merged).validate(merged != null && Boolean.TRUE.equals(merged.autoRemove()));
            if (r.isUp()) {
                runtime.update(r.id(), SpecGenerator.resourceLimits(merged));
            }
            Path configJson = bundle(r.id()).resolve("config.json");
            Spec spec = Json.parse(Files.readString(configJson), Spec.class);
            Files.writeString(configJson, Json.write(SpecGenerator.withResourceLimits(spec, merged)));
            save(r.withHostConfig(merged));
        }
        publish("update", r);
    }

    public void remove(String idOrName, boolean force) throws IOException, InterruptedException {
        remove(idOrName, force, false);
    }

    /** docker rm [-f] [-v]: {@code removeVolumes} also removes the container's anonymous volumes. */
    public void remove(String idOrName, boolean force, boolean removeVolumes) throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        synchronized (lock(r.id())) {
            r = byId.get(r.id());
            if (r.isUp() && !force) {
                throw new EngineException(409, "cannot remove container \"/" + r.name() + "\": container is running: "
                        + "stop the container before removing or force remove");
            }
            if (r.isUp()) {
                save(r.withManuallyStopped(true));
                stopping.add(r.id());
                signal(r.id(), 9, true);
                awaitExit(r.id(), Duration.ofSeconds(10));
            }
            try {
                runtime.delete(r.id(), true);
            } catch (ContainerException ignored) {
                // not started, or already cleaned up
            }
            networking.publish(events, "disconnect", r.id(), networking.disconnectAll(r.id()));
            unmountIfMounted(bundle(r.id()).resolve("rootfs"));
            images.layers().removeReadWrite(r.id());
            mounts.release(r.id(), removeVolumes);
            deleteTree(bundle(r.id()));
            deleteTree(dir(r.id()));
            Files.deleteIfExists(attachSocket(r.id()));
            names.release(r.name());
            removedExitCodes.put(r.id(), byId.get(r.id()).exitCode());
            byId.remove(r.id());
            restartDelays.remove(r.id());
            attachments.forget(r.id());
            lock(r.id()).notifyAll();
        }
        locks.remove(r.id());
        publish("destroy", r);
    }

    /** Stops every running container at once (daemon shutdown without live-restore). */
    public void stopAllForShutdown() {
        List<Thread> stoppers = new ArrayList<>();
        for (ContainerRecord r : list(false)) {
            stoppers.add(Thread.ofVirtual().start(() -> {
                try {
                    stopForShutdown(r.id());
                } catch (IOException | RuntimeException e) {
                    System.err.println("level=warning msg=\"stopping " + r.id() + " at shutdown: " + e.getMessage() + "\"");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Like stop, but not a manual stop: restart policies apply at the next daemon start. */
    private void stopForShutdown(String id) throws IOException, InterruptedException {
        ContainerRecord r = byId.get(id);
        if (r == null || !r.isUp()) {
            return;
        }
        stopping.add(id);
        int timeout = r.config() != null && r.config().stopTimeout() != null ? r.config().stopTimeout() : 10;
        if (r.status().equals("paused")) {
            runtime.resume(id);
        }
        signal(id, StopSignal.of(r.config()), false);
        if (!awaitExit(id, Duration.ofSeconds(Math.max(0, timeout)))) {
            signal(id, 9, true);
            awaitExit(id, Duration.ofSeconds(10));
        }
    }

    /** docker container prune: removes every stopped container matching the filters. */
    public Pruned prune(Map<String, List<String>> filters) throws IOException, InterruptedException {
        ContainerFilter filter = ContainerFilter.of(filters, this::find, List.of("until", "label", "label!"));
        List<String> deleted = new ArrayList<>();
        for (ContainerRecord r : list(true)) {
            if (!r.isUp() && !r.status().equals("restarting") && filter.test(r)) {
                remove(r.id(), false);
                deleted.add(r.id());
            }
        }
        events.publish("container", "prune", "", Map.of("reclaimed", "0"));
        return new Pruned(deleted, 0);
    }

    /** What prune removed; the space is that of the removed read-write layers. */
    public record Pruned(List<String> containersDeleted, long spaceReclaimed) {}

    /** A health probe finished: record it, and tell /events when the status changed. */
    private boolean healthChanged(String id, String startedAt, HealthState.Probe probe, int retries, boolean inStartPeriod) {
        synchronized (lock(id)) {
            ContainerRecord r = byId.get(id);
            if (r == null || !r.isUp() || !Objects.equals(r.startedAt(), startedAt)) {
                return false; // stopped, removed, or a later run with its own monitor
            }
            if (r.status().equals("paused")) {
                return true; // docker does not judge a frozen container
            }
            HealthState before = r.health() == null ? HealthState.starting() : r.health();
            HealthState after = before.after(probe, retries, inStartPeriod);
            save(r.withHealth(after));
            if (!after.status().equals(before.status())) {
                publish("health_status: " + after.status(), r);
            }
            return true;
        }
    }

    private void publish(String action, ContainerRecord r) {
        publish(action, r, Map.of());
    }

    private void publish(String action, ContainerRecord r, Map<String, String> extra) {
        events.publish("container", action, r.id(), r.eventAttributes(extra));
    }

    private void removeQuietly(String id) {
        try {
            if (byId.containsKey(id)) {
                remove(id, true, true); // --rm takes the anonymous volumes too, as docker's
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // --rm is best effort: a later `rm` reports what is left
            System.err.println("level=warning msg=\"auto-remove of " + id + " failed: " + e + "\"");
        }
    }

    private ContainerRecord save(ContainerRecord r) {
        try {
            AtomicFile.write(dir(r.id()).resolve("container.json"), Json.write(r).getBytes(StandardCharsets.UTF_8));
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
     * A container's logged output as selected (docker logs' since, until, tail); with {@code
     * follow}, also what it writes until it stops.
     */
    public void logs(String idOrName, boolean follow, LogFollower.Selection selection, LogFollower.Sink sink)
            throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        LogFollower.copy(logFile(r.id()), selection, () -> get(r.id()).isUp(), follow, sink);
    }
}
