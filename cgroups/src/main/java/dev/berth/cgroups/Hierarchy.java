package dev.berth.cgroups;

import java.nio.file.Path;
import java.util.Set;

/**
 * One mounted cgroup hierarchy: a v1 hierarchy (one or more controllers, or a named one such as
 * {@code name=systemd}) or the v2 unified hierarchy.
 *
 * @param mountPoint where it is mounted, e.g. /sys/fs/cgroup/memory
 * @param root       the cgroup visible at the mount point (mountinfo field 4); "/" unless the
 *                   mount is a bind mount of a sub-tree, as inside a container without a cgroup
 *                   namespace
 * @param device     the superblock's major:minor, which tells hierarchies apart
 * @param unified    true for the cgroup2 mount
 * @param controllers v1: the hierarchy's controllers and names; v2: the controllers available at
 *                   the mount point (its cgroup.controllers)
 * @param ownPath    this process's cgroup in the hierarchy, from /proc/self/cgroup, or null
 */
public record Hierarchy(Path mountPoint, String root, String device, boolean unified,
                        Set<String> controllers, String ownPath) {
    public Hierarchy {
        controllers = Set.copyOf(controllers);
    }

    /**
     * The directory of {@code cgroupPath} in this hierarchy. Like runc's fs driver, an absolute
     * cgroupsPath is taken from the hierarchy as visible at the mount point.
     */
    public Path dir(String cgroupPath) {
        return cgroupPath.equals("/") ? mountPoint : mountPoint.resolve(cgroupPath.substring(1));
    }

    /** A v1 hierarchy with no controller, only a name (name=systemd): processes are grouped, not limited. */
    public boolean named() {
        return !unified && controllers.stream().allMatch(c -> c.startsWith("name="));
    }
}
