package dev.berth.engine.volume;

import dev.berth.engine.EngineException;
import dev.berth.oci.runtime.SpecException;
import dev.berth.runtime.linux.MountOptions;
import dev.berth.storage.volume.LocalVolumes;
import dev.berth.storage.volume.VolumeRecord;
import dev.berth.sys.MountInfo;
import dev.berth.sys.Mounts;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The local driver's options (type, device, o), as `docker volume create --opt`: such a volume
 * is a mount of {@code device} on its _data while some container refers to it, e.g.
 * type=tmpfs,device=tmpfs,o=size=10m or type=none,o=bind,device=/srv/x. It is mounted in the
 * daemon's (the host's) mount namespace, so each container's rbind of _data carries it, and
 * unmounted when the last container referring to it is removed.
 */
final class VolumeMounts {
    private final LocalVolumes store;

    VolumeMounts(LocalVolumes store) {
        this.store = store;
    }

    void mountIfNeeded(VolumeRecord r) throws IOException {
        String type = r.options().get("type");
        if (type == null || type.isEmpty() || mounted(store.mountpoint(r.name()))) {
            return;
        }
        String o = r.options().getOrDefault("o", "");
        String device = r.options().getOrDefault("device", type);
        String target = store.mountpoint(r.name()).toString();
        try {
            MountOptions opts = MountOptions.parse(o.isEmpty() ? List.of() : List.of(o.split(",")), type, "o");
            if (opts.bind() || type.equals("none")) {
                Mounts.bind(device, target, opts.recursive(), (opts.flags() & MountOptions.MS_RDONLY) != 0);
            } else {
                Mounts.mount(device, target, type, opts.flags(), opts.data().isEmpty() ? null : opts.data());
            }
        } catch (SyscallException | IllegalArgumentException | SpecException e) {
            throw new EngineException(500, "error while mounting volume '" + target + "': " + e.getMessage());
        }
    }

    /**
     * Unmounts a driver-options volume. Before its directory is deleted this must succeed: the
     * deletion would otherwise go into the mounted device (for o=bind, the host's directory).
     */
    void unmountIfMounted(VolumeRecord r) {
        Path target = store.mountpoint(r.name());
        if (r.options().get("type") != null && mounted(target)) {
            try {
                // Detached: containers hold their own copies in their mount namespaces.
                Mounts.unmount(target.toString(), Mounts.MNT_DETACH);
            } catch (SyscallException e) {
                throw new EngineException(500, "unmounting volume " + r.name() + ": " + e.getMessage());
            }
        }
    }

    /** Whether something is mounted on {@code path}; false when /proc/self/mountinfo cannot be read. */
    private static boolean mounted(Path path) {
        String p = path.toAbsolutePath().normalize().toString();
        try {
            return MountInfo.self().stream().anyMatch(m -> m.mountPoint().equals(p));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
