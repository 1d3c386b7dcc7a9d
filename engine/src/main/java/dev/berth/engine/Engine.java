package dev.berth.engine;

import dev.berth.engine.config.DaemonConfig;
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

    private Engine(DaemonConfig config, String engineId) {
        this.config = config;
        this.engineId = engineId;
    }

    /** Opens (creating if needed) the engine's roots; state found there is restored. */
    public static Engine open(DaemonConfig config) throws IOException {
        Files.createDirectories(config.dataRootPath());
        Files.createDirectories(config.execRootPath());
        Path idFile = config.dataRootPath().resolve("engine-id");
        if (!Files.exists(idFile)) {
            Files.writeString(idFile, UUID.randomUUID().toString());
        }
        return new Engine(config, Files.readString(idFile).trim());
    }

    public DaemonConfig config() {
        return config;
    }

    public SystemInfo info() {
        return new SystemInfo(engineId, 0, 0, 0, 0, 0, "overlay2", config.dataRootPath().toString(),
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
