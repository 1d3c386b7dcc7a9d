package dev.berth.engine.container;

import dev.berth.engine.image.Images;
import dev.berth.storage.LayerStore;
import dev.berth.storage.diff.Change;
import dev.berth.storage.diff.Changes;
import dev.berth.storage.diff.RootfsExport;
import dev.berth.storage.snapshot.Mounter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's filesystem as {@code docker diff} and {@code docker export} see it: the changes
 * of its read-write layer over its parent, the {@link InitLayer} (so the engine's mount points
 * are not the container's changes, as in docker), and its whole merged tree, init layer and all,
 * as one tar. Export reads a read-only mount of the snapshot of its own (the upper layer as the
 * topmost lower), so it works whether the container runs or not and never shares overlay's
 * upper/work dirs.
 */
public final class ContainerFilesystem {
    private final Containers containers;
    private final Images images;

    public ContainerFilesystem(Containers containers, Images images) {
        this.containers = containers;
        this.images = images;
    }

    /** One line of {@code docker diff}, with the API's kind: 0 modified, 1 added, 2 deleted. */
    public record FileChange(String path, int kind) {
        static FileChange of(Change c) {
            return new FileChange(c.path(), switch (c.kind()) {
                case CHANGED -> 0;
                case ADDED -> 1;
                case DELETED -> 2;
            });
        }
    }

    /** GET /containers/{id}/changes: by path, sorted. */
    public List<FileChange> changes(String idOrName) throws IOException {
        ContainerRecord c = containers.get(idOrName);
        return Changes.of(images.layers().snapshotter().diffSource(LayerStore.readWriteKey(c.id()))).stream()
                .map(FileChange::of).toList();
    }

    /** A container's export, resolved (404 first) and ready to stream. */
    @FunctionalInterface
    public interface Export {
        void writeTo(OutputStream out) throws IOException;
    }

    /** GET /containers/{id}/export: the merged tree as a tar, without whiteouts. */
    public Export export(String idOrName) {
        ContainerRecord c = containers.get(idOrName);
        return out -> {
            var mounts = images.layers().snapshotter().readOnlyMounts(LayerStore.readWriteKey(c.id()));
            Path target = Files.createTempDirectory(images.tmpDir(), "export-");
            try {
                Mounter.mount(mounts, target);
                try {
                    RootfsExport.write(target, out);
                } finally {
                    Mounter.unmount(target);
                }
            } finally {
                Files.deleteIfExists(target);
            }
        };
    }
}
