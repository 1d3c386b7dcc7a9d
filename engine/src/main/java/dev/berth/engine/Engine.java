package dev.berth.engine;

import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.container.ContainerRecord;
import dev.berth.engine.container.Containers;
import dev.berth.engine.events.Events;
import dev.berth.engine.image.Images;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.engine.volume.Volumes;
import dev.berth.runtime.BerthRuntime;
import dev.berth.storage.volume.LocalVolumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The engine: the one place that knows every part (DESIGN.md). It owns the daemon's data and
 * exec roots and composes images, storage, runtime and (later) networks into containers.
 */
public final class Engine implements AutoCloseable {
    public static final String VERSION = "0.1.0";

    private final DaemonConfig config;
    private final String engineId;
    private final Events events = new Events();
    private final Images images;
    private final Volumes volumes;
    private final ContainerMounts mounts;
    private final Containers containers;
    private final ContainerTools tools;
    private final ContainerNetworking networking;

    /** Opens (creating if needed) the engine's roots; state found there is restored. */
    private Engine(DaemonConfig config) throws IOException {
        this.config = config;
        Files.createDirectories(config.dataRootPath());
        Files.createDirectories(config.execRootPath());
        Path idFile = config.dataRootPath().resolve("engine-id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, UUID.randomUUID().toString());
        }
        this.engineId = Files.readString(idFile).trim();
        this.images = new Images(config.dataRootPath(), config.registryMirrors(), config.insecureRegistries(), events);
        Path shim = Path.of(System.getProperty("berth.shim", "berth-shim"));
        BerthRuntime runtime = new BerthRuntime(config.execRootPath().resolve("runtime"), shim, w -> { });
        this.volumes = new Volumes(new LocalVolumes(config.dataRootPath().resolve("volumes")), events);
        this.mounts = new ContainerMounts(config.dataRootPath().resolve("containers"), volumes);
        // Before the containers: restoring them may start some (restart policies), which connects them.
        this.networking = ContainerNetworking.open(config);
        this.containers = new Containers(config.dataRootPath(), config.execRootPath(), images, runtime, config, mounts, events,
                networking);
        this.tools = ContainerTools.of(containers, runtime, config.execRootPath());
    }

    public static Engine open(DaemonConfig config) throws IOException {
        return new Engine(config);
    }

    public Images images() {
        return images;
    }

    public Containers containers() {
        return containers;
    }

    public Events events() {
        return events;
    }

    /** exec, top, stats and archive: what works on a container besides its lifecycle. */
    public ContainerTools tools() {
        return tools;
    }

    /** Networks: /networks, and what containers are connected to. */
    public ContainerNetworking networking() {
        return networking;
    }

    public Volumes volumes() {
        return volumes;
    }

    /** Each container's mounts, as inspect shows them. */
    public ContainerMounts mounts() {
        return mounts;
    }

    /** docker system df. */
    public DiskUsage.Report diskUsage() {
        return DiskUsage.of(images, containers, volumes);
    }

    public DaemonConfig config() {
        return config;
    }

    public SystemInfo info() {
        List<ContainerRecord> all = containers.list(true);
        int running = (int) all.stream().filter(c -> c.status().equals("running")).count();
        int paused = (int) all.stream().filter(c -> c.status().equals("paused")).count();
        return new SystemInfo(engineId, all.size(), running, paused, all.size() - running - paused,
                images.store().list().size(), "overlay2", config.dataRootPath().toString(),
                HostFacts.operatingSystem(), System.getProperty("os.version"), HostFacts.architecture(),
                Runtime.getRuntime().availableProcessors(), HostFacts.memTotal(), HostFacts.hostname(),
                HostFacts.cgroupVersion(), config.liveRestoreEnabled(),
                config.registryMirrors() == null ? List.of() : config.registryMirrors(),
                config.insecureRegistries() == null ? List.of() : config.insecureRegistries(),
                Boolean.TRUE.equals(config.debug()));
    }

    /**
     * The daemon is stopping. With live-restore the containers keep running under their shims
     * and the next daemon adopts them; without it, as dockerd does, they are stopped (in
     * parallel, each with its stop signal and timeout) and their restart policies bring them
     * back at the next start.
     */
    @Override
    public void close() {
        if (!config.liveRestoreEnabled()) {
            containers.stopAllForShutdown();
        }
        // The kernel state (bridges, veths of running containers, our nft table) stays, as
        // dockerd's does: the next daemon's Networks.open adopts it.
        networking.close();
    }
}
