package dev.berth.runtime.plan;

import dev.berth.runtime.linux.Capabilities;
import dev.berth.sys.MountInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Facts about this host that shape a plan.
 *
 * @param cgroupV1Hierarchies the superblock options naming each mounted v1 hierarchy
 *                            ("memory", "cpu,cpuacct", "name=systemd"); empty on a pure v2 host
 * @param lastCap             /proc/sys/kernel/cap_last_cap
 */
public record HostInfo(List<String> cgroupV1Hierarchies, int lastCap) {

    /** Mount flags that cgroup v1 shows among its super options beside the hierarchy's names. */
    private static final Set<String> V1_MOUNT_FLAGS = Set.of("rw", "ro", "clone_children", "noprefix", "xattr",
            "nsdelegate");

    public static HostInfo detect() {
        return new HostInfo(v1Hierarchies(MountInfo.SELF), Capabilities.lastCap());
    }

    /**
     * The super options of each "cgroup" (v1) mount in {@code mountinfo}, once each, without the
     * mount flags: what the plan's cgroup mounts name the hierarchies by. Empty, so that the
     * plan mounts cgroup2 as on a pure v2 host, when the table cannot be read.
     */
    static List<String> v1Hierarchies(Path mountinfo) {
        List<MountInfo> mounts;
        try {
            mounts = MountInfo.read(mountinfo);
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (MountInfo m : mounts) {
            if (!m.fsType().equals("cgroup")) {
                continue;
            }
            String joined = m.superOptions().stream()
                    .filter(o -> !V1_MOUNT_FLAGS.contains(o) && !o.startsWith("release_agent"))
                    .collect(Collectors.joining(","));
            if (!joined.isEmpty() && !out.contains(joined)) {
                out.add(joined);
            }
        }
        return out;
    }
}
