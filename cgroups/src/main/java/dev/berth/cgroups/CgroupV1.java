package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * cgroup v1, and hybrid hosts. The cgroup is a directory in every mounted hierarchy (controller
 * hierarchies, named ones like name=systemd, and on a hybrid host the v2 mount), and a process
 * joins by its pid being written to each one's cgroup.procs, as runc's fs driver does.
 *
 * <p>Each controller writes into the hierarchy that carries it; a controller that no v1
 * hierarchy has but the hybrid host's v2 mount offers (hugetlb on this project's CI host) is
 * written there in v2 dialect, after create() has enabled it in the v2 parents. The freezer falls
 * back the same way to the v2 directory's cgroup.freeze, and device rules, when no v1 devices
 * hierarchy is mounted, to an eBPF filter on the v2 directory: the kernel runs both kinds of check
 * on every device access (security/device_cgroup.c, devcgroup_check_permission), and a device
 * program needs no controller.
 */
public final class CgroupV1 implements CgroupManager {
    private final String path;
    private final CgroupLayout layout;
    private final Ownership ownership = new Ownership();
    private final DeviceFilterInstaller deviceFilters;

    CgroupV1(String path, CgroupLayout layout) {
        this(path, layout, BpfDeviceFilterInstaller.INSTANCE);
    }

    /** With another way to install v2 device filters: tests on fake hierarchies record them. */
    CgroupV1(String path, CgroupLayout layout, DeviceFilterInstaller deviceFilters) {
        this.path = path;
        this.layout = layout;
        this.deviceFilters = deviceFilters;
    }

    /** Where a controller writes: a directory and whether its files speak v2. */
    private record Placement(CgroupDir dir, boolean v2) {}

    @Override
    public String path() {
        return path;
    }

    public CgroupLayout layout() {
        return layout;
    }

    /** Every hierarchy the container's processes join: all v1 ones, then the v2 mount if any. */
    private List<Hierarchy> joined() {
        List<Hierarchy> out = new ArrayList<>(layout.hierarchies());
        if (layout.unified() != null) out.add(layout.unified());
        return out;
    }

    private List<Path> leaves() {
        return joined().stream().map(h -> h.dir(path)).toList();
    }

    private Placement placement(Controller c) {
        var v1 = layout.v1(c.v1Name());
        if (v1.isPresent()) {
            return new Placement(new CgroupDir(v1.get().dir(path)), false);
        }
        if (c.v2Name() != null && layout.unifiedControllers().contains(c.v2Name())) {
            return new Placement(new CgroupDir(layout.unified().dir(path)), true);
        }
        if (c instanceof Devices && layout.unified() != null) {
            return new Placement(new CgroupDir(layout.unified().dir(path)), true);
        }
        return null;
    }

    /** Controllers that live in the v2 mount because no v1 hierarchy carries them. */
    private boolean v2Resident(String v2Controller) {
        return Controller.ALL.stream().anyMatch(c -> v2Controller.equals(c.v2Name()) && layout.v1(c.v1Name()).isEmpty());
    }

    @Override
    public void create() {
        List<Path> made = new ArrayList<>();
        try {
            for (Hierarchy h : joined()) {
                Path leaf = h.dir(path);
                made.addAll(CgroupTree.mkdirs(h.mountPoint(), leaf));
                if (!h.unified() && h.controllers().contains("cpuset")) {
                    inheritCpuset(h.mountPoint(), leaf);
                }
            }
            Hierarchy u = layout.unified();
            if (u != null) {
                V2Controllers.enableDown(u.mountPoint(), u.dir(path), this::v2Resident);
            }
        } catch (CgroupException e) {
            throw CgroupTree.undo(made, e);
        }
        ownership.record(made);
    }

    /** Fills cpuset.cpus/mems top-down from the mount point to the leaf (see {@link Cpuset}). */
    private static void inheritCpuset(Path mount, Path leaf) {
        List<Path> chain = new ArrayList<>();
        for (Path p = leaf; !p.equals(mount); p = p.getParent()) {
            chain.addFirst(p);
        }
        for (Path p : chain) {
            Cpuset.inheritV1(new CgroupDir(p.getParent()), new CgroupDir(p));
        }
    }

    @Override
    public void apply(Spec.Resources r) {
        if (r == null) {
            return;
        }
        if (r.unified() != null && !r.unified().isEmpty()) {
            throw new CgroupException(Unified.FIELD, "requires cgroup v2 (this host is "
                    + layout.mode().name().toLowerCase() + "; v1 files have other names)");
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            throw new CgroupException("linux.resources.rdma", "not supported");
        }
        // Check every controller is there before writing anything, so a config that cannot be
        // honoured fails without leaving half its limits applied.
        List<Controller> todo = Controller.ALL.stream().filter(c -> c.requested(r)).toList();
        for (Controller c : todo) {
            Placement p = placement(c);
            if (p == null) {
                throw new CgroupException(c.field(), "the " + c.v1Name() + " controller is not mounted on this host");
            }
            if (!p.dir().exists()) {
                throw new CgroupException(c.field(), "cgroup " + p.dir() + " does not exist (create() first)");
            }
            if (p.v2() && c.v2Name() != null && !V2Controllers.enabled(p.dir()).contains(c.v2Name())) {
                throw new CgroupException(c.field(), "the " + c.v2Name() + " controller is not enabled for "
                        + p.dir() + " (missing from its parent's cgroup.subtree_control)");
            }
        }
        for (Controller c : todo) {
            Placement p = placement(c);
            if (!p.v2()) {
                c.applyV1(p.dir(), r);
            } else if (c instanceof Devices devices) {
                devices.applyV2(p.dir(), r, deviceFilters);
            } else {
                c.applyV2(p.dir(), r);
            }
        }
    }

    @Override
    public List<Path> procsFiles() {
        return leaves().stream().map(d -> d.resolve("cgroup.procs")).toList();
    }

    @Override
    public List<Integer> pids() {
        TreeSet<Integer> all = new TreeSet<>();
        for (Path leaf : leaves()) {
            all.addAll(CgroupTree.pids(leaf));
        }
        return List.copyOf(all);
    }

    private Placement freezer() {
        var v1 = layout.v1("freezer");
        if (v1.isPresent()) {
            return new Placement(new CgroupDir(v1.get().dir(path)), false);
        }
        if (layout.unified() != null) {
            return new Placement(new CgroupDir(layout.unified().dir(path)), true);
        }
        throw new CgroupException(Freezer.FIELD, "no freezer on this host (no v1 freezer hierarchy and no cgroup2 mount)");
    }

    @Override
    public void freeze() {
        Placement p = freezer();
        if (p.v2()) Freezer.freezeV2(p.dir()); else Freezer.freezeV1(p.dir());
    }

    @Override
    public void thaw() {
        Placement p = freezer();
        if (p.v2()) Freezer.thawV2(p.dir()); else Freezer.thawV1(p.dir());
    }

    @Override
    public boolean frozen() {
        if (layout.v1("freezer").isEmpty() && layout.unified() == null) {
            return false; // nothing can have frozen it
        }
        Placement p = freezer();
        if (!p.dir().exists()) return false;
        return p.v2() ? Freezer.frozenV2(p.dir()) : Freezer.frozenV1(p.dir());
    }

    @Override
    public CgroupStats stats() {
        if (leaves().stream().noneMatch(Files::isDirectory)) {
            throw new CgroupException("stats", "cgroup " + path + " does not exist");
        }
        return new CgroupStats(cpuStats(), memoryStats(), pidsStats(), blkioStats(), hugetlbStats());
    }

    private CgroupStats.CpuStats cpuStats() {
        CgroupDir acct = existing(layout.v1("cpuacct").map(h -> h.dir(path)).orElse(null));
        CgroupDir cpu = existing(layout.v1("cpu").map(h -> h.dir(path)).orElse(null));
        if (acct == null && cpu == null) {
            Placement p = placement(new Cpu());
            return p != null && p.dir().exists() && p.v2() ? Cpu.statsV2(p.dir()) : null;
        }
        CgroupStats.CpuStats usage = acct != null ? Cpuacct.usageV1(acct)
                : new CgroupStats.CpuStats(0, 0, 0, List.of(), 0, 0, 0);
        return cpu != null ? Cpu.throttlingV1(cpu, usage) : usage;
    }

    private CgroupStats.MemoryStats memoryStats() {
        Placement p = existing(placement(new Memory()));
        return p == null ? null : p.v2() ? Memory.statsV2(p.dir()) : Memory.statsV1(p.dir());
    }

    private CgroupStats.PidsStats pidsStats() {
        Placement p = existing(placement(new Pids()));
        return p == null ? null : Pids.stats(p.dir());
    }

    private CgroupStats.BlkioStats blkioStats() {
        Placement p = existing(placement(new Blkio()));
        return p == null ? null : p.v2() ? Blkio.statsV2(p.dir()) : Blkio.statsV1(p.dir());
    }

    private List<CgroupStats.HugetlbStats> hugetlbStats() {
        Placement p = existing(placement(new Hugetlb()));
        return p == null ? List.of() : p.v2() ? Hugetlb.statsV2(p.dir()) : Hugetlb.statsV1(p.dir());
    }

    private static Placement existing(Placement p) {
        return p != null && p.dir().exists() ? p : null;
    }

    private static CgroupDir existing(Path p) {
        return p != null && Files.isDirectory(p) ? new CgroupDir(p) : null;
    }

    @Override
    public long oomKillCount() {
        Placement p = existing(placement(new Memory()));
        if (p == null) return 0;
        return p.v2() ? Memory.oomKillsV2(p.dir()) : Memory.oomKillsV1(p.dir());
    }

    @Override
    public void destroy() {
        CgroupTree.remove(ownership.toRemove(leaves()));
        ownership.removed();
    }

    @Override
    public List<Path> createdDirs() {
        return ownership.list();
    }

    @Override
    public void adopt(List<Path> createdDirs) {
        ownership.adopt(createdDirs, joined(), leaves());
    }

    @Override
    public String toString() {
        return "CgroupV1[" + path + ", " + layout.mode() + "]";
    }
}
