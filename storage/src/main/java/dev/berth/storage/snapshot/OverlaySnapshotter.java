package dev.berth.storage.snapshot;

import dev.berth.storage.SnapshotConflictException;
import dev.berth.storage.archive.ApplyOptions;
import dev.berth.storage.diff.DiffSource;
import dev.berth.storage.internal.MountTable;
import dev.berth.storage.internal.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Snapshots on overlayfs (Documentation/filesystems/overlayfs.rst). Each snapshot has a
 * directory {@code snapshots/ID/fs}: for a committed one it is the layer, read-only from then
 * on and shared as a lower layer by every snapshot above it; for an active one it is the upper
 * directory, with {@code snapshots/ID/work} as overlay's workdir (same filesystem, as overlay
 * requires). Layers are unpacked straight into an active snapshot's fs with overlay whiteouts, so
 * committing is only a change of record.
 *
 * <p>Mount options: "index=off" (hard links are broken on copy-up as without index; an index
 * would tie an upper to one lower stack), "metacopy=off" and "redirect_dir=off", because a
 * metadata-only copy-up or a redirect leaves an upper directory that does not hold the changes
 * themselves, and the diff is read from it.
 */
public final class OverlaySnapshotter implements Snapshotter {
    private static final List<String> OPTIONS = List.of("index=off", "metacopy=off", "redirect_dir=off");
    /** fsconfig copies a string parameter with strndup_user(value, 256) (fs/fsopen.c). */
    private static final int MAX_LAYER_PATH = 255;

    private final Path root;
    private final SnapshotRecords records;

    public OverlaySnapshotter(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        String r = this.root.toString();
        if (r.contains(":") || r.contains(",") || r.length() > MAX_LAYER_PATH - 40) {
            throw new IllegalArgumentException("overlay root " + r + " must be shorter than " + (MAX_LAYER_PATH - 40)
                    + " characters and hold no ':' or ',' (they separate overlay options)");
        }
        Files.createDirectories(this.root);
        this.records = new SnapshotRecords(this.root);
    }

    @Override
    public String name() {
        return "overlay";
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
            Files.createDirectory(work(e));
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
        List<Path> lowers = lowers(e);
        return switch (e.info().kind()) {
            case ACTIVE -> lowers.isEmpty()
                    ? List.of(Mount.bind(e.fs(), false))
                    : List.of(overlay(lowers, e.fs(), work(e)));
            case VIEW -> readOnly(lowers.isEmpty() ? List.of(e.fs()) : lowers);
            case COMMITTED -> throw new SnapshotConflictException("snapshot \"" + key + "\" is committed; prepare or view on top of it");
        };
    }

    @Override
    public List<Mount> readOnlyMounts(String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        List<Path> layers = new ArrayList<>();
        if (e.info().kind() != SnapshotInfo.Kind.VIEW) {
            layers.add(e.fs());
        }
        layers.addAll(lowers(e));
        return readOnly(layers.isEmpty() ? List.of(e.fs()) : layers);
    }

    /** One layer: a read-only bind mount; more: an overlay of lower layers only, which is read-only by nature. */
    private static List<Mount> readOnly(List<Path> layers) {
        if (layers.size() == 1) {
            return List.of(Mount.bind(layers.getFirst(), true));
        }
        List<String> options = new ArrayList<>();
        options.add("lowerdir=" + String.join(":", layers.stream().map(Path::toString).toList()));
        options.addAll(OPTIONS);
        options.add("ro");
        return List.of(new Mount("overlay", "overlay", options));
    }

    private static Mount overlay(List<Path> lowers, Path upper, Path work) {
        List<String> options = new ArrayList<>();
        options.add("lowerdir=" + String.join(":", lowers.stream().map(Path::toString).toList()));
        options.add("upperdir=" + upper);
        options.add("workdir=" + work);
        options.addAll(OPTIONS);
        return new Mount("overlay", "overlay", options);
    }

    @Override
    public void commit(String name, String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        if (e.info().kind() == SnapshotInfo.Kind.ACTIVE && MountTable.uses(e.dir())) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is mounted; unmount it before committing");
        }
        SnapshotRecords.Entry c = records.commit(name, key);
        Trees.remove(work(c)); // a committed layer is never an upper again
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
        SnapshotRecords.Entry e = active(key);
        return new LayerTarget(e.fs(), ApplyOptions.overlay(lowers(e)));
    }

    @Override
    public DiffSource diffSource(String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        if (e.info().kind() == SnapshotInfo.Kind.VIEW) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is a view; it has no changes");
        }
        return new DiffSource.OverlayUpper(e.fs(), lowers(e));
    }

    private SnapshotRecords.Entry active(String key) throws IOException {
        SnapshotRecords.Entry e = records.get(key);
        if (e.info().kind() != SnapshotInfo.Kind.ACTIVE) {
            throw new SnapshotConflictException("snapshot \"" + key + "\" is " + e.info().kind().name().toLowerCase()
                    + ", not active");
        }
        return e;
    }

    /** The fs directories of the committed parents, topmost first. */
    private List<Path> lowers(SnapshotRecords.Entry e) throws IOException {
        if (e.info().parent() == null) {
            return List.of();
        }
        return records.chain(e.info().parent()).stream().map(SnapshotRecords.Entry::fs).toList();
    }


    private static Path work(SnapshotRecords.Entry e) {
        return e.dir().resolve("work");
    }
}
