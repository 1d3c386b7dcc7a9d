package dev.berth.engine.container;

import dev.berth.oci.image.Digest;
import dev.berth.storage.LayerStore;
import dev.berth.storage.snapshot.Mount;
import dev.berth.storage.snapshot.MountTargets;
import dev.berth.storage.snapshot.MountTargets.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A container's init layer (moby's daemon/initlayer): a read-only layer between its image and
 * its read-write layer, holding the places the runtime mounts on that the image lacks.
 * Without it the runtime makes them in the read-write layer at the first start, and docker diff,
 * docker commit and the diff tars show the engine's mount points as the container's writes
 * ("A /etc/hosts"). A full export still has them, as docker's has.
 *
 * <p>The set mirrors the mounts the spec gives every container (spec.Mounts: /proc, /dev, /sys,
 * /etc/resolv.conf, /etc/hostname, /etc/hosts; what lies under /dev, /dev/pts, /dev/shm, lands
 * on the /dev tmpfs) and moby's list: /dev/console for a terminal, and /etc/mtab, which tools
 * read and images often lack. A user's own mounts (-v, --tmpfs) are made in the read-write layer
 * at start and show in docker diff, as in docker.
 *
 * <p>Its content depends only on the image, so the layer store shares one per image top layer
 * and {@link #NAME} between all the containers of that image (see
 * {@link LayerStore#createReadWrite(String, Digest, String, LayerStore.InitFiller)}): only a
 * first container pays for making it.
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

    /**
     * Names what {@link #TARGETS} make, for the layer store to tell init layers apart: a Berth
     * with another list makes new init layers instead of reusing ones that lack an entry. (A change
     * to how MountTargets makes them would need a change here too.)
     */
    static final String NAME = "mounts-" + Digest.sha256(TARGETS.toString().getBytes(StandardCharsets.UTF_8)).encoded().substring(0, 12);

    private InitLayer() {}

    /** Container {@code id}'s read-write layer over the init layer of chain {@code parent} (made if need be); its mounts. */
    static List<Mount> create(LayerStore layers, String id, Digest parent) throws IOException {
        return layers.createReadWrite(id, parent, NAME, root -> MountTargets.create(root, TARGETS));
    }
}
