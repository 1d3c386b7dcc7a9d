package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.berth.cgroups.Fixtures.files;
import static dev.berth.cgroups.Fixtures.read;
import static dev.berth.cgroups.Res.res;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The v2 manager on a fake unified hierarchy. */
class FakeV2HierarchyTest {
    static final long MIB = 1 << 20;

    @TempDir Path root;
    Path dir;
    CgroupManager mgr;

    @BeforeEach
    void fakeHost() {
        Path cg = root.resolve("cgroup");
        files(cg, "cgroup.controllers", "cpuset cpu io memory hugetlb pids", "cgroup.subtree_control", "");
        dir = files(cg.resolve("berth/ctr"), "cgroup.controllers", "cpuset cpu io memory hugetlb pids",
                "cpu.weight", "100", "cpu.max", "max 100000", "cpu.max.burst", "0", "cpu.idle", "0",
                "cpuset.cpus", "", "cpuset.mems", "",
                "memory.max", "max", "memory.swap.max", "max", "memory.low", "0", "memory.high", "max",
                "pids.max", "max", "io.weight", "default 100", "io.max", "",
                "hugetlb.2MB.max", "max", "hugetlb.2MB.rsvd.max", "max",
                "cgroup.freeze", "0", "cgroup.events", "populated 1\nfrozen 0\n",
                "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        mgr = CgroupManager.open("/berth/ctr", Fixtures.layout("v2", root));
    }

    @Test
    void writesV2FilesWithV2Values() {
        mgr.apply(res()
                .memory(64 * MIB, 32 * MIB, 192 * MIB)
                .cpu(new Spec.Cpu(512L, 50000L, 5000L, null, null, null, "0", "0", 1L))
                .pids(0)
                .blockIO(new Spec.BlockIO(500, null, null, null, List.of(new Spec.ThrottleDevice(8L, 0L, 0L)), null, null))
                .hugetlb("2MB", -1)
                .unified(Map.of("memory.high", "50000000"))
                .build());
        assertThat(read(dir.resolve("memory.max"))).isEqualTo(Long.toString(64 * MIB));
        assertThat(read(dir.resolve("memory.swap.max"))).isEqualTo(Long.toString(128 * MIB)); // 192 - 64
        assertThat(read(dir.resolve("memory.low"))).isEqualTo(Long.toString(32 * MIB));
        assertThat(read(dir.resolve("cpu.weight"))).isEqualTo("20");
        assertThat(read(dir.resolve("cpu.max"))).isEqualTo("50000 100000");
        assertThat(read(dir.resolve("cpu.max.burst"))).isEqualTo("5000");
        assertThat(read(dir.resolve("cpu.idle"))).isEqualTo("1");
        assertThat(read(dir.resolve("cpuset.cpus"))).isEqualTo("0");
        assertThat(read(dir.resolve("pids.max"))).isEqualTo("max");
        assertThat(read(dir.resolve("io.weight"))).isEqualTo("default " + Blkio.blkioToIoWeight(500));
        assertThat(read(dir.resolve("io.max"))).isEqualTo("8:0 wbps=max");
        assertThat(read(dir.resolve("hugetlb.2MB.max"))).isEqualTo("max");
        assertThat(read(dir.resolve("hugetlb.2MB.rsvd.max"))).isEqualTo("max");
        assertThat(read(dir.resolve("memory.high"))).isEqualTo("50000000");
    }

    @Test
    void updatesKeepWhatTheyDoNotMention() {
        mgr.apply(res().quota(50000L, null).build());
        mgr.apply(res().quota(null, 200000L).build());
        assertThat(read(dir.resolve("cpu.max"))).isEqualTo("50000 200000");
        mgr.apply(res().quota(-1L, null).build());
        assertThat(read(dir.resolve("cpu.max"))).isEqualTo("max 200000");

        mgr.apply(res().memory(100 * MIB, null, null).build());
        mgr.apply(res().memory(null, null, 300 * MIB).build()); // swap alone: split against the limit in force
        assertThat(read(dir.resolve("memory.swap.max"))).isEqualTo(Long.toString(200 * MIB));
        mgr.apply(res().memory(-1L, null, -1L).build());
        assertThat(read(dir.resolve("memory.max"))).isEqualTo("max");
        assertThat(read(dir.resolve("memory.swap.max"))).isEqualTo("max");
    }

    @Test
    void bfqWeightIsWrittenUnconverted() {
        files(dir, "io.bfq.weight", "default 100");
        mgr.apply(res().blkioWeight(500).build());
        assertThat(read(dir.resolve("io.bfq.weight"))).isEqualTo("default 500");
        assertThat(read(dir.resolve("io.weight"))).isEqualTo("default 100");
    }

    @Test
    void v1OnlyFeaturesAreErrorsNamingTheField() {
        assertThatThrownBy(() -> mgr.apply(res().memory(new Spec.Memory(null, null, null, null, null, null, true, null, null)).build()))
                .hasMessageStartingWith("linux.resources.memory.disableOOMKiller: not supported on cgroup v2");
        assertThatThrownBy(() -> mgr.apply(res().memory(new Spec.Memory(null, null, null, null, null, 30L, null, null, null)).build()))
                .hasMessageStartingWith("linux.resources.memory.swappiness: ");
        assertThatThrownBy(() -> mgr.apply(res().cpu(new Spec.Cpu(null, null, null, null, 1000L, null, null, null, null)).build()))
                .hasMessageStartingWith("linux.resources.cpu.realtimeRuntime: ");
        assertThatThrownBy(() -> mgr.apply(res().blockIO(new Spec.BlockIO(null, 100, null, null, null, null, null)).build()))
                .hasMessageStartingWith("linux.resources.blockIO.leafWeight: ");
        assertThatThrownBy(() -> mgr.apply(res().network(new Spec.Network(1L, null)).build()))
                .hasMessageStartingWith("linux.resources.network.classID: net_cls is a cgroup v1 controller");
        // realtime 0 is what v2 does anyway: accepted.
        mgr.apply(res().cpu(new Spec.Cpu(null, null, null, null, 0L, 0L, null, null, null)).build());
    }

    @Test
    void deviceRulesBecomeAFilterOnTheCgroupDirectory() {
        List<Map.Entry<Path, DeviceFilter>> installed = new java.util.ArrayList<>();
        CgroupManager m = new CgroupV2("/berth/ctr", Fixtures.layout("v2", root).unified(),
                (d, f) -> installed.add(Map.entry(d, f)));
        m.apply(res().devices(new Spec.DeviceCgroup(false, null, null, null, "rwm"),
                new Spec.DeviceCgroup(true, "c", 1L, 3L, "rwm")).build());
        assertThat(installed).singleElement().satisfies(e -> {
            assertThat(e.getKey()).isEqualTo(dir);
            assertThat(DeviceFilterTest.allowed(e.getValue(), 'c', 1, 3, 6)).isTrue();
            assertThat(DeviceFilterTest.allowed(e.getValue(), 'c', 1, 5, 2)).isFalse();
        });
        // update replaces the filter, allow-all included (it must undo a restrictive one).
        m.apply(res().devices(new Spec.DeviceCgroup(true, "a", null, null, "rwm")).build());
        assertThat(installed).hasSize(2);
        assertThat(installed.get(1).getValue().defaultAllow()).isTrue();
        // A bad rule installs nothing.
        assertThatThrownBy(() -> m.apply(res().devices(new Spec.DeviceCgroup(true, "q", 1L, 3L, "rwm")).build()))
                .hasMessageStartingWith("linux.resources.devices[0].type: ");
        assertThat(installed).hasSize(2);
    }

    @Test
    void aDirectoryOutsideCgroup2GetsNoFilterAndSaysWhy() {
        // mgr installs into the kernel; the fake hierarchy is a plain directory.
        assertThatThrownBy(() -> mgr.apply(res().devices(new Spec.DeviceCgroup(false, null, null, null, "rwm")).build()))
                .isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.resources.devices: " + dir + " is on a ")
                .hasMessageContaining("not cgroup2");
    }

    @Test
    void aControllerTheParentDidNotEnableIsAnError() {
        files(dir, "cgroup.controllers", "cpu memory pids");
        assertThatThrownBy(() -> mgr.apply(res().pids(3).blkioWeight(100).build()))
                .hasMessageStartingWith("linux.resources.blockIO: the io controller is not enabled for");
        assertThat(read(dir.resolve("pids.max"))).isEqualTo("max"); // nothing written
    }

    @Test
    void unifiedKeysAreCheckedBeforeWriting() {
        assertThatThrownBy(() -> mgr.apply(res().unified(Map.of("../../etc/passwd", "x")).build()))
                .hasMessageStartingWith("linux.resources.unified[\"../../etc/passwd\"]: not a cgroup interface file name");
        assertThatThrownBy(() -> mgr.apply(res().unified(Map.of("rdma.max", "x")).build()))
                .hasMessageContaining("the rdma controller is not enabled");
        assertThatThrownBy(() -> mgr.apply(res().unified(Map.of("memory.nothing", "x")).build()))
                .hasMessageContaining("this kernel has no file memory.nothing");
    }

    @Test
    void freezeWaitsForTheEventsFile() {
        files(dir, "cgroup.events", "populated 1\nfrozen 1\n");
        mgr.freeze();
        assertThat(read(dir.resolve("cgroup.freeze"))).isEqualTo("1");
        assertThat(mgr.frozen()).isTrue();
        files(dir, "cgroup.events", "populated 1\nfrozen 0\n");
        mgr.thaw();
        assertThat(read(dir.resolve("cgroup.freeze"))).isEqualTo("0");
        assertThat(mgr.frozen()).isFalse();
    }

    @Test
    void oomKillsComeFromMemoryEvents() {
        assertThat(mgr.oomKillCount()).isEqualTo(1);
    }
}
