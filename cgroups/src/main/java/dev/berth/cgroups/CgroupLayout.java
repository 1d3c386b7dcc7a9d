package dev.berth.cgroups;

import dev.berth.sys.MountInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host's cgroup layout, discovered from /proc/self/mountinfo and /proc/self/cgroup rather than
 * assumed: which v1 hierarchies are mounted where and with which controllers, and whether (and
 * where) the v2 unified hierarchy is mounted with which controllers.
 *
 * <p>Modes, as runc names them (libcontainer/cgroups/utils.go IsCgroup2UnifiedMode and
 * IsCgroup2HybridMode):
 * <ul>
 * <li>{@link Mode#V1}: v1 controller hierarchies only;
 * <li>{@link Mode#HYBRID}: v1 controller hierarchies and a cgroup2 mount (systemd's
 *     /sys/fs/cgroup/unified), which may own controllers that no v1 hierarchy has (hugetlb on
 *     this project's CI host);
 * <li>{@link Mode#V2}: a cgroup2 mount and no v1 controller hierarchy;
 * <li>{@link Mode#NONE}: neither.
 * </ul>
 *
 * @param hierarchies v1 hierarchies, one per superblock (bind mounts of the same hierarchy dropped)
 * @param unified the cgroup2 mount, or null
 */
public record CgroupLayout(Mode mode, List<Hierarchy> hierarchies, Hierarchy unified) {
    public enum Mode { V1, HYBRID, V2, NONE }

    /** v1 controller names the kernel knows (Documentation/admin-guide/cgroup-v1/); super options
     *  that are not in this list, not named in /proc/self/cgroup and not "name=" are mount flags. */
    private static final Set<String> V1_CONTROLLERS = Set.of("cpu", "cpuacct", "cpuset", "memory", "devices",
            "freezer", "net_cls", "net_prio", "blkio", "perf_event", "hugetlb", "pids", "rdma", "misc", "debug");

    public CgroupLayout {
        hierarchies = List.copyOf(hierarchies);
    }

    /** Reads this process's /proc/self/mountinfo and /proc/self/cgroup. */
    public static CgroupLayout detect() {
        try {
            return parse(Files.readString(MountInfo.SELF),
                    Files.readString(Path.of("/proc/self/cgroup")));
        } catch (NoSuchFileException e) {
            return new CgroupLayout(Mode.NONE, List.of(), null);
        } catch (IOException e) {
            throw new CgroupException("cgroups", "read /proc/self: " + e.getMessage(), e);
        }
    }

    /**
     * Builds the layout from the text of mountinfo and /proc/self/cgroup. Of each cgroup and
     * cgroup2 mount it takes the superblock's device (to tell hierarchies apart), the root (the
     * cgroup seen at the mount point), the mount point and, for v1, the super options, which name
     * the hierarchy's controllers. The unified mount's controllers are read from its
     * cgroup.controllers file (empty when absent), so a test can point mount points at a
     * temporary directory.
     *
     * @throws IllegalArgumentException for a mountinfo line not of the documented shape
     */
    public static CgroupLayout parse(String mountinfo, String procSelfCgroup) {
        List<ProcSelfCgroup.Entry> own = ProcSelfCgroup.parse(procSelfCgroup);
        Set<String> known = new HashSet<>(V1_CONTROLLERS);
        own.forEach(e -> known.addAll(e.controllers()));

        List<Hierarchy> v1 = new ArrayList<>();
        Set<String> seenDevices = new HashSet<>();
        Hierarchy unified = null;
        for (MountInfo m : MountInfo.parse(mountinfo)) {
            if (m.fsType().equals("cgroup2")) {
                if (unified == null) {
                    Path mp = Path.of(m.mountPoint());
                    String ownPath = own.stream().filter(ProcSelfCgroup.Entry::unified)
                            .map(ProcSelfCgroup.Entry::path).findFirst().orElse(null);
                    unified = new Hierarchy(mp, m.root(), m.device(), true, readControllers(mp), ownPath);
                }
                continue;
            }
            // Every v1 hierarchy has its own superblock, so a device seen before is a bind mount
            // of a hierarchy we already have.
            if (!m.fsType().equals("cgroup") || !seenDevices.add(m.device())) {
                continue;
            }
            Set<String> controllers = new LinkedHashSet<>();
            for (String opt : m.superOptions()) {
                if (opt.startsWith("name=") || known.contains(opt)) {
                    controllers.add(opt);
                }
            }
            if (controllers.isEmpty()) {
                continue;
            }
            String ownPath = own.stream().filter(e -> e.controllers().equals(controllers))
                    .map(ProcSelfCgroup.Entry::path).findFirst().orElse(null);
            v1.add(new Hierarchy(Path.of(m.mountPoint()), m.root(), m.device(), false, controllers, ownPath));
        }

        boolean v1Controllers = v1.stream().anyMatch(h -> !h.named());
        Mode mode = v1Controllers ? (unified != null ? Mode.HYBRID : Mode.V1)
                : unified != null ? Mode.V2 : Mode.NONE;
        return new CgroupLayout(mode, v1, unified);
    }

    private static Set<String> readControllers(Path mountPoint) {
        try {
            String s = Files.readString(mountPoint.resolve("cgroup.controllers")).trim();
            return s.isEmpty() ? Set.of() : Set.of(s.split("\\s+"));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** The v1 hierarchy that carries {@code controller} (e.g. "memory", "name=systemd"). */
    public Optional<Hierarchy> v1(String controller) {
        return hierarchies.stream().filter(h -> h.controllers().contains(controller)).findFirst();
    }

    /** Controllers of the unified hierarchy, empty without one. */
    public Set<String> unifiedControllers() {
        return unified == null ? Set.of() : unified.controllers();
    }
}
