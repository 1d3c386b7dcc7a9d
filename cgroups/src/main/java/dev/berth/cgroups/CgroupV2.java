package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): one directory in the unified hierarchy.
 * create() enables every controller the parents offer on the way down, as runc's fs2 driver does,
 * so that limits can be set and stats read; a process joins by one write to cgroup.procs.
 * Device rules become an eBPF program attached to the directory ({@link Devices}).
 */
public final class CgroupV2 implements CgroupManager {
    private final String path;
    private final Hierarchy unified;
    private final CgroupDir dir;
    private final Ownership ownership = new Ownership();
    private final DeviceFilterInstaller deviceFilters;

    CgroupV2(String path, Hierarchy unified) {
        this(path, unified, BpfDeviceFilterInstaller.INSTANCE);
    }

    /** With another way to install device filters: tests on fake hierarchies record them. */
    CgroupV2(String path, Hierarchy unified, DeviceFilterInstaller deviceFilters) {
        this.path = path;
        this.unified = unified;
        this.dir = new CgroupDir(unified.dir(path));
        this.deviceFilters = deviceFilters;
    }

    @Override
    public String path() {
        return path;
    }

    /** The cgroup's directory, e.g. /sys/fs/cgroup/berth/abc. */
    public Path dir() {
        return dir.path();
    }

    @Override
    public void create() {
        List<Path> made = CgroupTree.mkdirs(unified.mountPoint(), dir.path());
        try {
            V2Controllers.enableDown(unified.mountPoint(), dir.path(), c -> true);
        } catch (CgroupException e) {
            throw CgroupTree.undo(made, e);
        }
        ownership.record(made);
    }

    @Override
    public void apply(Spec.Resources r) {
        if (r == null) {
            return;
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            throw new CgroupException("linux.resources.rdma", "not supported");
        }
        List<Controller> todo = Controller.ALL.stream().filter(c -> c.requested(r)).toList();
        boolean unifiedMap = r.unified() != null && !r.unified().isEmpty();
        if (todo.isEmpty() && !unifiedMap) {
            return;
        }
        if (!dir.exists()) {
            throw new CgroupException("linux.resources", "cgroup " + dir + " does not exist (create() first)");
        }
        Set<String> enabled = V2Controllers.enabled(dir);
        // Check before writing anything, so an impossible config leaves no half-applied limits.
        for (Controller c : todo) {
            if (c.v2Name() != null && !enabled.contains(c.v2Name())) {
                throw new CgroupException(c.field(), "the " + c.v2Name() + " controller is not enabled for " + dir
                        + " (missing from its parent's cgroup.subtree_control; enabled: " + enabled + ")");
            }
        }
        for (Controller c : todo) {
            if (c instanceof Devices devices) {
                devices.applyV2(dir, r, deviceFilters);
            } else {
                c.applyV2(dir, r);
            }
        }
        if (unifiedMap) {
            Unified.apply(dir, r.unified(), enabled);
        }
    }

    @Override
    public List<Path> procsFiles() {
        return List.of(dir.path().resolve("cgroup.procs"));
    }

    @Override
    public List<Integer> pids() {
        return List.copyOf(CgroupTree.pids(dir.path()));
    }

    @Override
    public void freeze() {
        Freezer.freezeV2(dir);
    }

    @Override
    public void thaw() {
        Freezer.thawV2(dir);
    }

    @Override
    public boolean frozen() {
        return dir.exists() && Freezer.frozenV2(dir);
    }

    @Override
    public CgroupStats stats() {
        if (!dir.exists()) {
            throw new CgroupException("stats", "cgroup " + dir + " does not exist");
        }
        Set<String> on = V2Controllers.enabled(dir);
        // cpu.stat's usage lines are a core file; throttling lines appear with the cpu controller.
        return new CgroupStats(
                dir.has("cpu.stat") ? Cpu.statsV2(dir) : null,
                on.contains("memory") ? Memory.statsV2(dir) : null,
                on.contains("pids") ? Pids.stats(dir) : null,
                on.contains("io") ? Blkio.statsV2(dir) : null,
                on.contains("hugetlb") ? Hugetlb.statsV2(dir) : List.of());
    }

    @Override
    public long oomKillCount() {
        return dir.has("memory.events") ? Memory.oomKillsV2(dir) : 0;
    }

    @Override
    public void destroy() {
        CgroupTree.remove(ownership.toRemove(List.of(dir.path())));
        ownership.removed();
    }

    @Override
    public List<Path> createdDirs() {
        return ownership.list();
    }

    @Override
    public void adopt(List<Path> createdDirs) {
        ownership.adopt(createdDirs, List.of(unified), List.of(dir.path()));
    }

    @Override
    public String toString() {
        return "CgroupV2[" + path + "]";
    }
}
