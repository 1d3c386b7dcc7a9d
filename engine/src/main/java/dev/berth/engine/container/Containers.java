package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.events.Events;
import dev.berth.engine.image.Images;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.engine.network.EndpointConfig;
import dev.berth.engine.network.NetworkPlan;
import dev.berth.engine.network.NetworkViews;
import dev.berth.engine.spec.SpecGenerator;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.network.Network;
import dev.berth.network.Networks;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.BerthRuntime;
import dev.berth.storage.LayerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Containers as docker has them: created from an image with a read-write layer and a generated
 * config.json, started through the runtime with the shim holding stdio (so they outlive the
 * daemon), watched until they exit, removed with everything they had.
 *
 * This class is what the API calls: it finds containers (by id, prefix or name), lists them, and
 * holds the small operations itself (pause, rename, update, network connect, health records).
 * The lifecycle's larger jobs each have a class: {@link ContainerCreation}, {@link
 * ContainerLauncher} (start), {@link ContainerExits} (an exit recorded once, waiters),
 * {@link RestartScheduler} (restart policies and back-off), {@link ContainerStopper} (stop,
 * kill), {@link ContainerRemoval} (rm, --rm) and {@link LiveRestore} (the daemon's start), all
 * over the records and monitors of one {@link ContainerStore}.
 */
public final class Containers {
    private final ContainerStore store;
    private final ContainerNames names = new ContainerNames();
    private final Images images;
    private final BerthRuntime runtime;
    private final ContainerEvents events;
    private final ContainerNetworking networking;
    private final Attachments attachments;
    private final ContainerExits exits;
    private final ContainerCreation creation;
    private final ContainerLauncher launcher;
    private final ContainerStopper stopper;
    private final ContainerRemoval removal;
    private final ContainerMounts mounts;

    /** Restores the containers found under the roots (see {@link LiveRestore}). */
    public Containers(Path dataRoot, Path execRoot, Images images, BerthRuntime runtime, DaemonConfig config,
                      ContainerMounts mounts, Events events, ContainerNetworking networking) throws IOException {
        this.store = new ContainerStore(dataRoot, execRoot);
        this.images = images;
        this.runtime = runtime;
        this.events = new ContainerEvents(events);
        this.networking = networking;
        this.mounts = mounts;
        this.attachments = new Attachments(store::attachSocket, id -> {
            ContainerRecord now = store.get(id);
            return now != null && !now.status().equals("exited");
        });
        HealthMonitor health = new HealthMonitor(runtime, this::healthChanged, store::dir, (id, action, attributes) -> {
            ContainerRecord r = store.get(id);
            if (r != null) {
                this.events.publish(action, r, attributes);
            }
        });
        this.exits = new ContainerExits(store, runtime, networking, this.events);
        this.creation = new ContainerCreation(store, names, images, runtime, config, mounts, networking, this.events);
        this.launcher = new ContainerLauncher(store, runtime, config, networking, attachments, health, exits, this.events,
                this::get);
        RestartScheduler restarts = new RestartScheduler(store, launcher, this.events);
        this.stopper = new ContainerStopper(store, runtime, exits, restarts, this.events);
        this.removal = new ContainerRemoval(store, names, runtime, networking, images.layers(), mounts, attachments,
                stopper, restarts, this.events);
        exits.then(restarts, removal);
        LiveRestore.run(store, names, exits, launcher);
    }

    /** Its events log with docker's container attributes, for the execs of {@link Execs}. */
    ContainerEvents events() {
        return events;
    }

    public Path logFile(String id) {
        return store.logFile(id);
    }

    /** The container's root filesystem as mounted on the host (it stays mounted while the container exists). */
    public Path rootfs(String id) {
        return store.rootfs(id);
    }

    /**
     * docker create; {@code endpoints} is NetworkingConfig.EndpointsConfig (per network: --ip,
     * --network-alias).
     */
    public ContainerRecord create(String name, ContainerConfig cfg, HostConfig host, Map<String, EndpointConfig> endpoints)
            throws IOException {
        return creation.create(name, cfg, host, endpoints);
    }

    /** A container by full id, unique id prefix or name; docker's 404 otherwise. */
    public ContainerRecord get(String idOrName) {
        ContainerRecord r = find(idOrName);
        if (r == null) {
            throw new EngineException(404, "No such container: " + idOrName);
        }
        return exits.refresh(r);
    }

    private ContainerRecord find(String idOrName) {
        ContainerRecord r = store.get(idOrName);
        if (r != null) {
            return r;
        }
        String byName = names.idOf(idOrName).orElse(null);
        if (byName != null && store.get(byName) != null) {
            return store.get(byName);
        }
        List<ContainerRecord> prefixed = store.all().stream().filter(c -> c.id().startsWith(idOrName)).toList();
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
        ContainerFilter filter = ContainerFilter.of(filters, this::find, ContainerFilter.PS_KEYS, filterFacts());
        return store.all().stream().map(exits::refresh)
                .filter(r -> all || filters.containsKey("status") || r.isUp() || r.status().equals("restarting"))
                .filter(filter)
                .sorted(Comparator.comparing(ContainerRecord::created).reversed()).toList();
    }

    /** What ps's network, volume, publish and expose filters read: what inspect and the list show. */
    private ContainerFilter.Facts filterFacts() {
        return new ContainerFilter.Facts() {
            @Override
            public Map<String, String> networks(ContainerRecord r) {
                return networkIds(r);
            }

            @Override
            public List<dev.berth.engine.volume.MountPoint> mounts(ContainerRecord r) {
                return mounts.of(r.id());
            }

            @Override
            public List<ContainerFilter.Port> ports(ContainerRecord r) {
                return Containers.this.ports(r).stream().map(p -> new ContainerFilter.Port(
                        ((Number) p.get("PrivatePort")).intValue(),
                        p.get("PublicPort") instanceof Number n ? n.intValue() : 0,
                        String.valueOf(p.get("Type")))).toList();
            }
        };
    }

    /** The names and ids of NetworkSettings.Networks: the networks of its plan, or host / none. */
    private Map<String, String> networkIds(ContainerRecord r) {
        NetworkPlan plan = ContainerNetworking.load(store.dir(r.id()), r.hostConfig());
        Map<String, String> ids = new HashMap<>();
        if (plan.mode().equals("host") || plan.mode().equals("none")) {
            ids.put(plan.mode(), NetworkViews.pseudoId(plan.mode(), networking.options().defaultBridge()));
        }
        for (String n : plan.networks().keySet()) {
            ids.put(n, networking.networks().find(n).map(Network::id).orElse(""));
        }
        return ids;
    }

    public void start(String idOrName) throws IOException {
        String id = get(idOrName).id();
        synchronized (store.lock(id)) {
            ContainerRecord r = store.current(id);
            if (r.isUp()) {
                throw new EngineException(304, "container already started");
            }
            launcher.launch(r.withManuallyStopped(false));
        }
    }

    /**
     * Blocks until the condition holds: "not-running" (the default), "next-exit" (an exit after
     * this call) or "removed"; returns the last exit code.
     */
    public int waitFor(String idOrName, String condition) throws InterruptedException {
        String cond = ContainerExits.condition(condition);
        return exits.waitFor(get(idOrName), cond);
    }

    /**
     * Registers an attach to a container's shim. Called before the client is told the attach
     * is established: docker run then starts the container, and the start waits (bounded) for
     * every registered attach to connect, so no early output is missed.
     */
    public Attachments.Pending attach(String idOrName) {
        return attachments.register(get(idOrName).id());
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
        stopper.kill(get(idOrName).id(), signal);
    }

    /** The stop signal, then SIGKILL after the timeout (docker's stop). */
    public void stop(String idOrName, Integer timeoutSeconds) throws IOException, InterruptedException {
        stopper.stop(get(idOrName).id(), timeoutSeconds);
    }

    /** docker restart: stop (with the timeout), then start. */
    public void restart(String idOrName, Integer timeoutSeconds) throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        stopper.stop(r.id(), timeoutSeconds);
        synchronized (store.lock(r.id())) {
            ContainerRecord now = store.current(r.id());
            if (!now.isUp()) {
                launcher.launch(now.withManuallyStopped(false));
            }
        }
        events.publish("restart", r);
    }

    public void pause(String idOrName) throws IOException {
        String id = get(idOrName).id();
        ContainerRecord r;
        synchronized (store.lock(id)) {
            r = store.current(id);
            if (r.status().equals("paused")) {
                throw new EngineException(409, "Container " + id + " is already paused");
            }
            if (!r.isUp()) {
                throw new EngineException(409, "Container " + id + " is not running");
            }
            runtime.pause(id);
            store.save(r.withStatus("paused"));
        }
        events.publish("pause", r);
    }

    public void unpause(String idOrName) throws IOException {
        String id = get(idOrName).id();
        ContainerRecord r;
        synchronized (store.lock(id)) {
            r = store.current(id);
            if (!r.status().equals("paused")) {
                throw new EngineException(409, "Container " + id + " is not paused");
            }
            runtime.resume(id);
            store.save(r.withStatus("running"));
        }
        events.publish("unpause", r);
    }

    public void rename(String idOrName, String newName) {
        if (newName == null || newName.isEmpty()) {
            throw new EngineException(400, "Neither old nor new names may be empty");
        }
        String id = get(idOrName).id();
        synchronized (store.lock(id)) {
            ContainerRecord r = store.current(id);
            String reserved = names.reserve(newName, id);
            if (!reserved.equals(r.name())) {
                names.release(r.name());
            }
            ContainerRecord renamed = store.save(r.withName(reserved));
            networking.networks().rename(id, reserved);
            events.publish("rename", renamed, Map.of("oldName", "/" + r.name()));
        }
    }

    /**
     * docker update: new resource limits (applied to the running container's cgroup at once)
     * and restart policy; kept for later starts.
     */
    public void update(String idOrName, HostConfig changes) throws IOException {
        String id = get(idOrName).id();
        ContainerRecord r;
        synchronized (store.lock(id)) {
            r = store.current(id);
            HostConfig merged = HostConfigUpdate.apply(r.hostConfig(), changes);
            RestartPolicy.of(merged).validate(merged != null && Boolean.TRUE.equals(merged.autoRemove()));
            if (r.isUp()) {
                runtime.update(id, SpecGenerator.resourceLimits(merged));
            }
            Path configJson = store.configJson(id);
            Spec spec = Json.parse(Files.readString(configJson), Spec.class);
            Files.writeString(configJson, Json.write(SpecGenerator.withResourceLimits(spec, merged)));
            store.save(r.withHostConfig(merged));
        }
        events.publish("update", r);
    }

    /** docker rm [-f] [-v]: {@code removeVolumes} also removes the container's anonymous volumes. */
    public void remove(String idOrName, boolean force, boolean removeVolumes) throws IOException, InterruptedException {
        removal.remove(get(idOrName).id(), force, removeVolumes);
    }

    /** docker container prune: removes every stopped container matching the filters. */
    public Pruned prune(Map<String, List<String>> filters) throws IOException, InterruptedException {
        ContainerFilter filter = ContainerFilter.of(filters, this::find, List.of("until", "label", "label!"));
        List<String> deleted = new ArrayList<>();
        for (ContainerRecord r : list(true)) {
            if (!r.isUp() && !r.status().equals("restarting") && filter.test(r)) {
                removal.remove(r.id(), false, false);
                deleted.add(r.id());
            }
        }
        events.log().publish("container", "prune", "", Map.of("reclaimed", "0"));
        return new Pruned(deleted, 0);
    }

    /** What prune removed; the space is that of the removed read-write layers. */
    public record Pruned(List<String> containersDeleted, long spaceReclaimed) {}

    /** Stops every running container at once (daemon shutdown without live-restore). */
    public void stopAllForShutdown() {
        stopper.stopAllForShutdown(list(false));
    }

    /** docker network connect: a running container is connected at once, a stopped one at its next start. */
    public void connectNetwork(String idOrName, String network, EndpointConfig cfg) throws IOException {
        String id = get(idOrName).id();
        synchronized (store.lock(id)) {
            ContainerRecord r = store.current(id);
            networking.connect(id, r.name(), r.isUp() ? r.pid() : 0, store.dir(id), r.hostConfig(), r.hostname(), network,
                    cfg == null ? EndpointConfig.NONE : cfg);
        }
        var n = networking.network(network);
        events.log().publish("network", "connect", n.id(), Map.of("container", id, "name", n.name(), "type", "bridge"));
    }

    /** docker network disconnect. */
    public void disconnectNetwork(String idOrName, String network, boolean force) throws IOException {
        String id = get(idOrName).id();
        synchronized (store.lock(id)) {
            ContainerRecord r = store.current(id);
            networking.disconnect(id, store.dir(id), r.hostConfig(), r.hostname(), network, force);
        }
        networking.networks().find(network).ifPresent(n -> events.log().publish("network", "disconnect", n.id(),
                Map.of("container", id, "name", n.name(), "type", "bridge")));
    }

    /** Inspect's NetworkSettings. */
    public Map<String, Object> networkSettings(ContainerRecord r) {
        NetworkPlan plan = ContainerNetworking.load(store.dir(r.id()), r.hostConfig());
        Map<String, Network> byName = new HashMap<>();
        for (String n : plan.networks().keySet()) {
            networking.networks().find(n).ifPresent(net -> byName.put(n, net));
        }
        networking.networks().find(Networks.DEFAULT_NETWORK).ifPresent(net -> byName.put(net.name(), net));
        return NetworkViews.settings(plan, networking.endpointsOf(r.id()), byName, networking.options().defaultBridge(),
                r.pid(), r.isUp());
    }

    /** The list's Ports. */
    public List<Map<String, Object>> ports(ContainerRecord r) {
        return NetworkViews.summaryPorts(ContainerNetworking.load(store.dir(r.id()), r.hostConfig()),
                networking.endpointsOf(r.id()), r.isUp());
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

    /**
     * A container's logged output as selected (docker logs' since, until, tail); with {@code
     * follow}, also what it writes until it stops.
     */
    public void logs(String idOrName, boolean follow, LogFollower.Selection selection, LogFollower.Sink sink)
            throws IOException, InterruptedException {
        ContainerRecord r = get(idOrName);
        LogFollower.copy(store.logFile(r.id()), selection, () -> get(r.id()).isUp(), follow, sink);
    }

    /** A health probe finished: record it, and tell /events when the status changed. */
    private boolean healthChanged(String id, String startedAt, HealthState.Probe probe, int retries, boolean inStartPeriod) {
        synchronized (store.lock(id)) {
            ContainerRecord r = store.get(id);
            if (r == null || !r.isUp() || !Objects.equals(r.startedAt(), startedAt)) {
                return false; // stopped, removed, or a later run with its own monitor
            }
            if (r.status().equals("paused")) {
                return true; // docker does not judge a frozen container
            }
            HealthState before = r.health() == null ? HealthState.starting() : r.health();
            HealthState after = before.after(probe, retries, inStartPeriod);
            store.save(r.withHealth(after));
            if (!after.status().equals(before.status())) {
                events.publish("health_status: " + after.status(), r);
            }
            return true;
        }
    }
}
