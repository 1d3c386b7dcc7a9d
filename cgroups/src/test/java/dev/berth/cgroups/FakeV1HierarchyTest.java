package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.berth.cgroups.Fixtures.files;
import static dev.berth.cgroups.Fixtures.read;
import static dev.berth.cgroups.Res.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The v1 manager on a fake hybrid host laid out like this project's CI machine: plain
 * directories and files stand in for cgroupfs, so we can see which file got which value.
 */
class FakeV1HierarchyTest {
    static final long MIB = 1 << 20;
    static final String UNLIMITED = "9223372036854771712";

    @TempDir Path root;
    Path cg;
    CgroupLayout layout;
    CgroupManager mgr;

    Path dir(String hierarchy) {
        return cg.resolve(hierarchy).resolve("ctr");
    }

    @BeforeEach
    void fakeHost() {
        cg = root.resolve("cgroup");
        files(cg.resolve("unified"), "cgroup.controllers", "hugetlb\n", "cgroup.subtree_control", "\n");
        layout = Fixtures.layout("hybrid", root);
        mgr = CgroupManager.open("/ctr", layout);
        files(dir("memory"), "memory.limit_in_bytes", UNLIMITED, "memory.memsw.limit_in_bytes", UNLIMITED,
                "memory.soft_limit_in_bytes", UNLIMITED, "memory.swappiness", "60", "memory.use_hierarchy", "1",
                "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
                "memory.usage_in_bytes", "1000000");
        files(dir("cpu"), "cpu.shares", "1024", "cpu.cfs_quota_us", "-1", "cpu.cfs_period_us", "100000",
                "cpu.cfs_burst_us", "0", "cpu.rt_runtime_us", "0", "cpu.rt_period_us", "1000000", "cpu.idle", "0");
        files(dir("cpuacct"));
        files(dir("cpuset"), "cpuset.cpus", "", "cpuset.mems", "");
        files(dir("pids"), "pids.max", "max");
        files(dir("blkio"), "blkio.bfq.weight", "100", "blkio.bfq.weight_device", "",
                "blkio.throttle.read_bps_device", "", "blkio.throttle.write_bps_device", "",
                "blkio.throttle.read_iops_device", "", "blkio.throttle.write_iops_device", "");
        files(dir("devices"), "devices.allow", "", "devices.deny", "");
        files(dir("freezer"), "freezer.state", "THAWED");
        files(dir("systemd"));
        files(dir("unified"), "cgroup.controllers", "hugetlb", "hugetlb.2MB.max", "max", "hugetlb.2MB.rsvd.max", "max",
                "hugetlb.1GB.max", "max", "cgroup.freeze", "0");
    }

    @Test
    void isTheV1ManagerAndJoinsEveryHierarchy() {
        assertThat(mgr).isInstanceOf(CgroupV1.class);
        assertThat(mgr.path()).isEqualTo("/ctr");
        assertThat(mgr.procsFiles()).hasSize(10).contains(
                dir("memory").resolve("cgroup.procs"), dir("systemd").resolve("cgroup.procs"),
                dir("unified").resolve("cgroup.procs"));
    }

    @Test
    void writesEachLimitToItsFile() {
        mgr.apply(res()
                .memory(new Spec.Memory(64 * MIB, 32 * MIB, 128 * MIB, null, null, 10L, true, true, null))
                .cpu(new Spec.Cpu(512L, 50000L, 1000L, 100000L, 10000L, 1000000L, "0-1", "0", 1L))
                .pids(32)
                .blockIO(new Spec.BlockIO(300, null, List.of(new Spec.WeightDevice(8L, 0L, 200, null)),
                        List.of(new Spec.ThrottleDevice(8L, 0L, 1048576L)), null, null,
                        List.of(new Spec.ThrottleDevice(8L, 16L, 100L))))
                .hugetlb("2MB", 4 * MIB)
                .devices(new Spec.DeviceCgroup(false, null, null, null, "rwm"), new Spec.DeviceCgroup(true, "c", 1L, 3L, "rwm"))
                .build());

        assertThat(read(dir("memory").resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(64 * MIB));
        assertThat(read(dir("memory").resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(128 * MIB));
        assertThat(read(dir("memory").resolve("memory.soft_limit_in_bytes"))).isEqualTo(Long.toString(32 * MIB));
        assertThat(read(dir("memory").resolve("memory.swappiness"))).isEqualTo("10");
        assertThat(read(dir("memory").resolve("memory.oom_control"))).isEqualTo("1");
        assertThat(read(dir("memory").resolve("memory.use_hierarchy"))).isEqualTo("1");

        assertThat(read(dir("cpu").resolve("cpu.shares"))).isEqualTo("512");
        assertThat(read(dir("cpu").resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
        assertThat(read(dir("cpu").resolve("cpu.cfs_period_us"))).isEqualTo("100000");
        assertThat(read(dir("cpu").resolve("cpu.cfs_burst_us"))).isEqualTo("1000");
        assertThat(read(dir("cpu").resolve("cpu.rt_runtime_us"))).isEqualTo("10000");
        assertThat(read(dir("cpu").resolve("cpu.rt_period_us"))).isEqualTo("1000000");
        assertThat(read(dir("cpu").resolve("cpu.idle"))).isEqualTo("1");
        assertThat(read(dir("cpuset").resolve("cpuset.cpus"))).isEqualTo("0-1");
        assertThat(read(dir("cpuset").resolve("cpuset.mems"))).isEqualTo("0");

        assertThat(read(dir("pids").resolve("pids.max"))).isEqualTo("32");

        // No CFQ on this kernel: the BFQ files take the weights.
        assertThat(read(dir("blkio").resolve("blkio.bfq.weight"))).isEqualTo("300");
        assertThat(read(dir("blkio").resolve("blkio.bfq.weight_device"))).isEqualTo("8:0 200");
        assertThat(read(dir("blkio").resolve("blkio.throttle.read_bps_device"))).isEqualTo("8:0 1048576");
        assertThat(read(dir("blkio").resolve("blkio.throttle.write_iops_device"))).isEqualTo("8:16 100");

        // hugetlb lives in the v2 mount on this host: v2 file names, in the unified directory.
        assertThat(read(dir("unified").resolve("hugetlb.2MB.max"))).isEqualTo(Long.toString(4 * MIB));
        assertThat(read(dir("unified").resolve("hugetlb.2MB.rsvd.max"))).isEqualTo(Long.toString(4 * MIB));
        assertThat(read(dir("unified").resolve("hugetlb.1GB.max"))).isEqualTo("max");

        // One write per rule; a plain file keeps the last of each.
        assertThat(read(dir("devices").resolve("devices.deny"))).isEqualTo("a");
        assertThat(read(dir("devices").resolve("devices.allow"))).isEqualTo("c 1:3 rwm");
    }

    @Test
    void nullFieldsAreLeftAlone() {
        mgr.apply(res().pids(10).build());
        assertThat(read(dir("memory").resolve("memory.limit_in_bytes"))).isEqualTo(UNLIMITED);
        assertThat(read(dir("cpu").resolve("cpu.shares"))).isEqualTo("1024");
        mgr.apply(null);
        mgr.apply(res().build());
        assertThat(read(dir("pids").resolve("pids.max"))).isEqualTo("10");
    }

    @Test
    void cfqWeightFileWinsWhenPresent() {
        files(dir("blkio"), "blkio.weight", "500");
        mgr.apply(res().blkioWeight(700).build());
        assertThat(read(dir("blkio").resolve("blkio.weight"))).isEqualTo("700");
        assertThat(read(dir("blkio").resolve("blkio.bfq.weight"))).isEqualTo("100");
    }

    @Test
    void aWeightWithoutAnyWeightFileIsAnErrorNamingTheField() throws Exception {
        Files.delete(dir("blkio").resolve("blkio.bfq.weight"));
        assertThatThrownBy(() -> mgr.apply(res().blkioWeight(300).build()))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.blockIO.weight: ")
                .hasMessageContaining("blkio.weight").hasMessageContaining("blkio.bfq.weight");
        assertThatThrownBy(() -> mgr.apply(res().blockIO(new Spec.BlockIO(null, 300, null, null, null, null, null)).build()))
                .hasMessageStartingWith("linux.resources.blockIO.leafWeight: ")
                .hasMessageContaining("blkio.leaf_weight");
    }

    @Test
    void aFailedWriteNamesFieldFileAndReason() throws Exception {
        // A directory where the kernel would have a file: the write fails with the kernel's words.
        Files.delete(dir("pids").resolve("pids.max"));
        Files.createDirectory(dir("pids").resolve("pids.max"));
        assertThatThrownBy(() -> mgr.apply(res().pids(5).build()))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.pids.limit: write pids.max: ")
                .satisfies(e -> assertThat(((CgroupException) e).field()).isEqualTo("linux.resources.pids.limit"));
    }

    @Test
    void aMissingFileIsReportedNotCreated() throws Exception {
        Files.delete(dir("memory").resolve("memory.swappiness"));
        assertThatThrownBy(() -> mgr.apply(res().memory(new Spec.Memory(null, null, null, null, null, 10L, null, null, null)).build()))
                .hasMessage("linux.resources.memory.swappiness: write memory.swappiness: No such file or directory"
                        + " (value \"10\" in " + dir("memory") + ")");
        assertThat(dir("memory").resolve("memory.swappiness")).doesNotExist();
    }

    @Test
    void updatesUseTheMemoryOrderTheKernelAccepts() {
        mgr.apply(res().memory(64 * MIB, null, 128 * MIB).build());
        mgr.apply(res().memory(32 * MIB, null, 48 * MIB).build());
        assertThat(read(dir("memory").resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(32 * MIB));
        assertThat(read(dir("memory").resolve("memory.memsw.limit_in_bytes"))).isEqualTo(Long.toString(48 * MIB));
    }

    @Test
    void controllersMissingFromTheHostAreErrorsBeforeAnyWrite() {
        assertThatThrownBy(() -> mgr.apply(res().pids(7).network(new Spec.Network(0x100001L, null)).build()))
                .hasMessage("linux.resources.network.classID: the net_cls controller is not mounted on this host");
        assertThat(read(dir("pids").resolve("pids.max"))).isEqualTo("max");
        assertThatThrownBy(() -> mgr.apply(res().unified(Map.of("memory.high", "1")).build()))
                .hasMessageStartingWith("linux.resources.unified: requires cgroup v2");
    }

    @Test
    void withoutAV1DevicesHierarchyDeviceRulesBecomeAFilterOnTheV2Directory() {
        String mountinfo = Fixtures.text("hybrid-mountinfo.txt", root).lines()
                .filter(l -> !l.endsWith(",devices")).collect(java.util.stream.Collectors.joining("\n"));
        String self = Fixtures.text("hybrid-cgroup.txt", root).lines()
                .filter(l -> !l.contains(":devices:")).collect(java.util.stream.Collectors.joining("\n"));
        CgroupLayout noDevices = CgroupLayout.parse(mountinfo, self);
        assertThat(noDevices.v1("devices")).isEmpty();
        List<Path> installedOn = new java.util.ArrayList<>();
        CgroupManager m = new CgroupV1("/ctr", noDevices, (d, f) -> {
            assertThat(f.defaultAllow()).isFalse();
            installedOn.add(d);
        });
        m.apply(res().devices(new Spec.DeviceCgroup(false, null, null, null, "rwm"),
                new Spec.DeviceCgroup(true, "c", 1L, 3L, "rwm")).build());
        assertThat(installedOn).containsExactly(dir("unified"));
        assertThat(read(dir("devices").resolve("devices.deny"))).isEmpty();
    }

    @Test
    void hugetlbInTheV2MountMustBeEnabledThere() {
        files(dir("unified"), "cgroup.controllers", "");
        assertThatThrownBy(() -> mgr.apply(res().hugetlb("2MB", MIB).build()))
                .hasMessageStartingWith("linux.resources.hugepageLimits: the hugetlb controller is not enabled");
    }

    @Test
    void unknownHugePageSizeListsTheAvailableOnes() {
        assertThatThrownBy(() -> mgr.apply(res().hugetlb("16MB", MIB).build()))
                .hasMessageStartingWith("linux.resources.hugepageLimits[0].pageSize: ")
                .hasMessageContaining("[1GB, 2MB]");
        assertThatThrownBy(() -> mgr.apply(res().hugetlb("2M", MIB).build()))
                .hasMessageContaining("not a page size");
    }

    @Test
    void applyingBeforeCreateSaysSo() {
        CgroupManager other = CgroupManager.open("/nothere", layout);
        assertThatThrownBy(() -> other.apply(res().pids(3).build()))
                .hasMessageContaining("does not exist (create() first)");
    }

    @Test
    void pidsAreTheUnionOverHierarchiesAndSubCgroups() {
        files(dir("memory"), "cgroup.procs", "10\n11\n");
        files(dir("memory").resolve("sub"), "cgroup.procs", "12\n");
        files(dir("pids"), "cgroup.procs", "11\n13\n");
        assertThat(mgr.pids()).containsExactly(10, 11, 12, 13);
    }

    @Test
    void freezesThroughTheV1Freezer() {
        mgr.freeze();
        assertThat(read(dir("freezer").resolve("freezer.state"))).isEqualTo("FROZEN");
        assertThat(mgr.frozen()).isTrue();
        mgr.thaw();
        assertThat(mgr.frozen()).isFalse();
        assertThat(read(dir("unified").resolve("cgroup.freeze"))).isEqualTo("0");
    }

    @Test
    void oomKillsComeFromOomControl() {
        assertThat(mgr.oomKillCount()).isEqualTo(2);
    }

    @Test
    void cpusetOfANewCgroupIsCopiedFromItsParent() {
        files(cg.resolve("cpuset"), "cpuset.cpus", "0-3\n", "cpuset.mems", "0\n");
        Cpuset.inheritV1(new CgroupDir(cg.resolve("cpuset")), new CgroupDir(dir("cpuset")));
        assertThat(read(dir("cpuset").resolve("cpuset.cpus"))).isEqualTo("0-3");
        assertThat(read(dir("cpuset").resolve("cpuset.mems"))).isEqualTo("0");
        // Not overwritten once set.
        files(dir("cpuset"), "cpuset.cpus", "1");
        Cpuset.inheritV1(new CgroupDir(cg.resolve("cpuset")), new CgroupDir(dir("cpuset")));
        assertThat(read(dir("cpuset").resolve("cpuset.cpus"))).isEqualTo("1");
    }
}
