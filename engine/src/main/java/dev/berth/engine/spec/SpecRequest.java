package dev.berth.engine.spec;

import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.volume.MountPoint;
import dev.berth.oci.image.ImageConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a container's config.json is made from.
 *
 * @param rootfs       the container's root filesystem (the mounted snapshot)
 * @param etcFiles     a directory holding the hosts, hostname and resolv.conf to bind-mount
 *                     (null: leave the image's own)
 * @param daemonCaps   the capabilities the daemon holds: what --privileged grants
 * @param cgroupV2     whether the host's cgroups are v2 (docker's cgroupns default differs)
 * @param mounts       the container's binds, volumes and --mount tmpfs, resolved (see
 *                     volume.ContainerMounts); null: HostConfig's binds taken as they are, no volumes
 */
public record SpecRequest(String id, ContainerConfig config, HostConfig host, ImageConfig image, Path rootfs,
                          Path etcFiles, List<String> daemonCaps, boolean cgroupV2, String cgroupsPath,
                          List<MountPoint> mounts) {

    public SpecRequest(String id, ContainerConfig config, HostConfig host, ImageConfig image, Path rootfs,
                       Path etcFiles, List<String> daemonCaps, boolean cgroupV2, String cgroupsPath) {
        this(id, config, host, image, rootfs, etcFiles, daemonCaps, cgroupV2, cgroupsPath, null);
    }
}
