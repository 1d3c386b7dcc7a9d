package dev.berth.storage.snapshot;

import dev.berth.storage.SnapshotConflictException;
import dev.berth.storage.archive.ApplyOptions;
import dev.berth.storage.diff.DiffSource;
import dev.berth.storage.internal.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots as full copies, for filesystems overlayfs cannot use (an overlay as upper, some
 * network filesystems): docker's vfs driver, containerd's native snapshotter. An active
 * snapshot starts as a copy of its parent's tree; layers are applied onto it with real
 * deletions; a view is a read-only bind mount of its parent. It costs a copy per layer and per
 * container, and works everywhere.
 */
public final class CopySnapshotter implements Snapshotter {
    private final Path root;
    private final SnapshotRecords records;

    public CopySnapshotter(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
        this.records = new SnapshotRecords(this.root);
    }

    @Override
    public String name() {
        return "copy";
    }

    public Path root() {
        return root;
    }

    @Override
    public List<Mount> prepare(String key, String parent) throws IOException {
        SnapshotRecords.Entry e = records.create(key, SnapshotInfo.Kind.ACTIVE, parent);
        try {
            Files.createDirectory(e.fs());
            Files.setPosixFilePermissions(e.fs(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            if (parent != null) {
                try (TreeCopier copier = new TreeCopier()) {
                    copier.copy(records.get(parent).fs(), e.fs());
                }
            }
            return mounts(key);
        } catch (IOException | RuntimeException ex) {
            records.remove(key);
            throw ex;
        }
    }

    @Override
    public List<Mount> view(String key, String parent) throws IOException {
        SnapshotRecords.Entry e = records.create(key, SnapshotInfo.Kind.VIEW, parent);
        try {
            Files.createDirectory(e.fs());
            return mounts(key);
        } catch (IOException | RuntimeException ex) {
            records.remove(key);
            throw ex;
        }
    }

    @Override
    public List<Mount> mounts(String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        return switch (e.info().kind()) {
            case ACTIVE -> List.of(Mount.bind(e.fs(), false));
            case VIEW -> List.of(Mount.bind(e.info().parent() == null ? e.fs() : records.get(e.info().parent()).fs(), true));
            case COMMITTED -> throw new SnapshotConflictException("snapshot \"" + key + "\" is committed; prepare or view on top of it");
        };
    }

    @Override
    public List<Mount> readOnlyMounts(String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        if (e.info().kind() == SnapshotInfo.Kind.VIEW) {
            return mounts(key);
        }
        return List.of(Mount.bind(e.fs(), true));
    }

    @Override
    public void commit(String name, String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        if (MountTable.uses(e.fs())) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is mounted; unmount it before committing");
        }
        records.commit(name, key);
    }

    @Override
    public void remove(String key) throws IOException {
        records.removeUnmounted(key);
    }

    @Override
    public Optional<SnapshotInfo> stat(String key) {
        return records.find(key).map(SnapshotRecords.Entry::info);
    }

    @Override
    public List<SnapshotInfo> list() {
        return records.list();
    }

    @Override
    public Usage usage(String key) throws IOException {
        return records.usage(key);
    }

    @Override
    public LayerTarget layerTarget(String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        if (e.info().kind() != SnapshotInfo.Kind.ACTIVE) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is not active");
        }
        return new LayerTarget(e.fs(), ApplyOptions.deleting());
    }

    @Override
    public DiffSource diffSource(String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        if (e.info().kind() == SnapshotInfo.Kind.VIEW) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is a view; it has no changes");
        }
        Path base = e.info().parent() == null ? null : records.get(e.info().parent()).fs();
        return new DiffSource.TwoTrees(base, e.fs());
    }

}
