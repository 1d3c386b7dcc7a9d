package dev.berth.engine.container;

import dev.berth.oci.image.Digest;
import dev.berth.storage.LayerStore;
import dev.berth.storage.snapshot.Mount;
import dev.berth.storage.snapshot.MountTargets;
import dev.berth.storage.snapshot.MountTargets.Target;
import java.io.IOException;
import java.util.List;

/**
 * A container's init layer (moby's daemon/initlayer): a read-only layer of its own between its
 * image and its read-write layer, holding the places the runtime mounts on that the image lacks.
 * Without it the runtime makes them in the read-write layer at the first start, and docker diff,
 * docker commit and the diff tars show the engine's mount points as the container's writes
 * ("A /etc/hosts"). A full export still has them, as docker's has.
 *
 * <p>The set mirrors the mounts the spec gives every container (spec.Mounts: /proc, /dev, /sys,
 * /etc/resolv.conf, /etc/hostname, /etc/hosts; what lies under /dev, /dev/pts, /dev/shm, lands
 * on the /dev tmpfs) and moby's list: /dev/console for a terminal, and /etc/mtab, which tools
 * read and images often lack. A user's own mounts (-v, --tmpfs) are made in the read-write layer
 * at start and show in docker diff, as in docker.
 */
final class InitLayer {
    static final List<Target> TARGETS = List.of(
            Target.directory("/proc"),
            Target.directory("/sys"),
            Target.directory("/dev"),
            Target.directory("/dev/pts"),
            Target.directory("/dev/shm"),
            Target.file("/dev/console"),
            Target.file("/etc/resolv.conf"),
            Target.file("/etc/hostname"),
            Target.file("/etc/hosts"),
            Target.symlink("/etc/mtab", "/proc/mounts"));

    private InitLayer() {}

    /** Container {@code id}'s init layer over chain {@code parent} and its read-write layer on that; the latter's mounts. */
    static List<Mount> create(LayerStore layers, String id, Digest parent) throws IOException {
        return layers.createReadWrite(id, parent, root -> MountTargets.create(root, TARGETS));
    }
}
