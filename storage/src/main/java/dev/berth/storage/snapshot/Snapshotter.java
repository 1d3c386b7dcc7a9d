package dev.berth.storage.snapshot;

import dev.berth.oci.image.Digest;
import dev.berth.storage.archive.ApplyResult;
import dev.berth.storage.archive.LayerApplier;
import dev.berth.storage.diff.DiffSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Layered filesystems as containerd's snapshotters model them (docs/snapshotters, the
 * snapshots.Snapshotter interface): a committed snapshot is an immutable layer, named by the
 * caller (the layer store uses chain IDs); {@link #prepare} makes a writable active snapshot on
 * top of one, {@link #view} a read-only one; an active snapshot is committed to become a layer
 * others build on. Unpacking an image is prepare, apply a layer, commit, once per layer; a
 * container is one more prepare over the image's top layer.
 *
 * <p>Two implementations: {@link OverlaySnapshotter} shares every committed layer between all
 * its users and gives each active snapshot only an upper directory; {@link CopySnapshotter}
 * copies the parent's whole tree, for filesystems overlayfs cannot stack on. Either way, writes
 * to an active snapshot never change a committed one.
 */
public sealed interface Snapshotter permits OverlaySnapshotter, CopySnapshotter {
    /** "overlay" or "copy". */
    String name();

    /** A writable snapshot {@code key} over committed {@code parent} (null: empty); the mounts that show it. */
    List<Mount> prepare(String key, String parent) throws IOException;

    /** A read-only snapshot {@code key} of committed {@code parent}; the mounts that show it. */
    List<Mount> view(String key, String parent) throws IOException;

    /** The mounts of an active snapshot or view. */
    List<Mount> mounts(String key) throws IOException;

    /**
     * Read-only mounts of what {@code key} holds now, an active snapshot's writes included,
     * that may be mounted while the snapshot itself is (for export).
     */
    List<Mount> readOnlyMounts(String key) throws IOException;

    /** Makes active snapshot {@code key} the committed snapshot {@code name}. */
    void commit(String name, String key) throws IOException;

    /** Removes a snapshot that has no children and is not mounted. */
    void remove(String key) throws IOException;

    Optional<SnapshotInfo> stat(String key);

    List<SnapshotInfo> list();

    Usage usage(String key) throws IOException;

    /** Where a layer is unpacked into active snapshot {@code key}. */
    LayerTarget layerTarget(String key) throws IOException;

    /** What to read the changes of active snapshot {@code key} from. */
    DiffSource diffSource(String key) throws IOException;

    /** Unpacks a layer blob into active snapshot {@code key} ({@code expectedDiffId} may be null). */
    default ApplyResult apply(String key, InputStream blob, String mediaType, Digest expectedDiffId) throws IOException {
        LayerTarget t = layerTarget(key);
        return LayerApplier.apply(blob, mediaType, t.dir(), t.options().expecting(expectedDiffId));
    }

    /** Mounts snapshot {@code key} on {@code target} (mount(2) or the new mount API). */
    default void mount(String key, Path target) throws IOException {
        Mounter.mount(mounts(key), target);
    }

    /** Unmounts what {@link #mount} put on {@code target}. */
    default void unmount(Path target) throws IOException {
        Mounter.unmount(target);
    }
}
