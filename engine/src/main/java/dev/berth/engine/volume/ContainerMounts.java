package dev.berth.engine.volume;

import dev.berth.engine.EngineException;
import dev.berth.oci.runtime.Json;
import dev.berth.storage.volume.VolumeRecord;
import dev.berth.sys.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A container's mounts from create to removal: {@link #prepare} turns the parsed requests into
 * mounted-ready {@link MountPoint}s (volumes made or found, image content copied up, bind
 * sources checked or created) and records them in the container's mounts.json;
 * {@link #release} forgets them at removal, removing its anonymous volumes when asked (rm -v).
 */
public final class ContainerMounts {
    private static final String FILE = "mounts.json";

    /** mounts.json: a container's resolved mounts. */
    record Saved(List<MountPoint> mounts) {}

    private final Path containersDir;
    private final Volumes volumes;
    private final Map<String, List<MountPoint>> byContainer = new ConcurrentHashMap<>();

    /** {@code containersDir} is dataRoot/containers: each container's mounts.json lives in its directory. */
    public ContainerMounts(Path containersDir, Volumes volumes) throws IOException {
        this.containersDir = containersDir;
        this.volumes = volumes;
        restore();
    }

    private void restore() throws IOException {
        if (!Files.isDirectory(containersDir)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(containersDir)) {
            for (Path d : dirs) {
                Path file = d.resolve(FILE);
                if (Files.exists(file)) {
                    List<MountPoint> points = Json.parse(Files.readString(file), Saved.class).mounts();
                    String id = d.getFileName().toString();
                    byContainer.put(id, List.copyOf(points));
                    volumes.register(id, volumeNames(points));
                }
            }
        }
    }

    /**
     * Resolves a container's mounts; {@code rootfs} is its mounted root filesystem (the image's
     * content for copy-up). On failure what was made is still recorded, for the caller's undo to
     * {@link #release} it: anonymous volumes go, named ones made on the way stay, as in docker.
     */
    public List<MountPoint> prepare(String containerId, List<MountPoint> requested, Path rootfs) throws IOException {
        // Checks first, so that a bad request creates nothing.
        for (MountPoint m : requested) {
            if (m.type().equals("bind") && !m.createSource() && !Files.exists(Path.of(m.source()))) {
                throw new EngineException(400, "invalid mount config for type \"bind\": bind source path does not exist: " + m.source());
            }
        }
        List<MountPoint> resolved = new ArrayList<>();
        try {
            for (MountPoint m : requested) {
                switch (m.type()) {
                    case "bind" -> {
                        if (m.createSource() && !Files.exists(Path.of(m.source()))) {
                            Files.createDirectories(Path.of(m.source()));
                        }
                        resolved.add(m);
                    }
                    case "volume" -> {
                        VolumeRecord v = volumes.acquire(containerId, m);
                        MountPoint withVolume = m.withVolume(v.name(), volumes.store().mountpoint(v.name()).toString());
                        resolved.add(withVolume); // before anything else can fail: the undo must find it
                        volumes.mounts().mountIfNeeded(v);
                        if (m.copyData() && rootfs != null) {
                            Path from = ScopedPath.resolve(rootfs, m.destination());
                            if (ScopedPath.isDirectory(from)) {
                                volumes.store().copyUp(from, v.name());
                            }
                        }
                    }
                    default -> resolved.add(m);
                }
            }
            AtomicFile.write(containersDir.resolve(containerId).resolve(FILE), Json.write(new Saved(resolved)).getBytes(StandardCharsets.UTF_8));
        } finally {
            byContainer.put(containerId, List.copyOf(resolved)); // on failure, for the caller's release
        }
        return List.copyOf(resolved);
    }

    /** What inspect shows under "Mounts"; empty for a container without any. */
    public List<MountPoint> of(String containerId) {
        return byContainer.getOrDefault(containerId, List.of());
    }

    /**
     * Forgets a removed container's mounts; with {@code removeAnonymous} (rm -v, --rm) its
     * anonymous volumes go too unless another container refers to them. Named volumes stay.
     * Volumes mounted from driver options are unmounted when no container refers to them.
     */
    public void release(String containerId, boolean removeAnonymous) throws IOException {
        List<MountPoint> points = byContainer.remove(containerId);
        volumes.unregister(containerId);
        if (points == null) {
            return;
        }
        for (MountPoint m : points) {
            if (m.type().equals("volume") && m.name() != null) {
                if (removeAnonymous && m.anonymous()) {
                    volumes.removeIfUnused(m.name());
                } else {
                    volumes.unmountIfUnused(m.name());
                }
            }
        }
    }

    private static List<String> volumeNames(List<MountPoint> points) {
        return points.stream().filter(p -> p.type().equals("volume") && p.name() != null).map(MountPoint::name).toList();
    }
}
