package dev.berth.engine;

import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.container.ContainerRecord;
import dev.berth.engine.container.Containers;
import dev.berth.engine.image.Images;
import dev.berth.runtime.BerthRuntime;
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
    private final Images images;
    private final Containers containers;
    private final BerthRuntime runtime;

    private Engine(DaemonConfig config, String engineId, Images images, Containers containers, BerthRuntime runtime) {
        this.config = config;
        this.engineId = engineId;
        this.images = images;
        this.containers = containers;
        this.runtime = runtime;
    }

    /** Opens (creating if needed) the engine's roots; state found there is restored. */
    public static Engine open(DaemonConfig config) throws IOException {
        Files.createDirectories(config.dataRootPath());
        Files.createDirectories(config.execRootPath());
        Path idFile = config.dataRootPath().resolve("engine-id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, UUID.randomUUID().toString());
        }
        Images images = new Images(config.dataRootPath(), config.registryMirrors(), config.insecureRegistries());
        Path shim = Path.of(System.getProperty("berth.shim", "berth-shim"));
        BerthRuntime runtime = new BerthRuntime(config.execRootPath().resolve("runtime"), shim, w -> { });
        Containers containers = new Containers(config.dataRootPath(), config.execRootPath(), images, runtime, config);
        return new Engine(config, Files.readString(idFile).trim(), images, containers, runtime);
    }

    public Images images() {
        return images;
    }

    public Containers containers() {
        return containers;
    }

    /** The OCI runtime the containers run under (commit pauses a container through it). */
    public BerthRuntime runtime() {
        return runtime;
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

    @Override
    public void close() {
        // Containers keep running (their shims outlive us); nothing to stop here yet.
    }
}
