package dev.berth.cgroups;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.berth.cgroups.Fixtures.files;
import static dev.berth.cgroups.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which directories create() makes and destroy() removes, on fake v1 (with a v2 part) and v2 trees. */
class CreateDestroyTest {
    @TempDir Path root;
    CgroupLayout hybrid;

    @BeforeEach
    void hybridWithoutCpuset() {
        // Plain mkdir makes no control files, so leave cpuset out here (its copy is tested on its own).
        String mi = """
                35 31 0:32 / %1$s/memory rw,relatime - cgroup cgroup rw,memory
                39 31 0:36 / %1$s/pids rw,relatime - cgroup cgroup rw,pids
                40 31 0:37 / %1$s/systemd rw,relatime - cgroup cgroup rw,name=systemd
                41 31 0:38 / %1$s/unified rw,relatime - cgroup2 cgroup2 rw
                """.formatted(root);
        for (String h : List.of("memory", "pids", "systemd")) files(root.resolve(h));
        files(root.resolve("unified"), "cgroup.controllers", "hugetlb", "cgroup.subtree_control", "");
        // cgroupfs fills a new directory with control files; a fake cannot, so the v2 parent that
        // create() must write into exists beforehand.
        files(root.resolve("unified/berth"), "cgroup.controllers", "hugetlb", "cgroup.subtree_control", "");
        hybrid = CgroupLayout.parse(mi, "0::/\n");
    }

    @Test
    void createMakesTheChainEverywhereAndDestroyRemovesOnlyThat() throws Exception {
        files(root.resolve("memory/berth")); // a parent that existed before: must survive
        CgroupManager m = CgroupManager.open("/berth/ctr", hybrid);
        m.create();
        for (String h : List.of("memory", "pids", "systemd", "unified")) {
            assertThat(root.resolve(h + "/berth/ctr")).isDirectory();
        }
        assertThat(m.createdDirs()).containsExactlyInAnyOrder(
                root.resolve("memory/berth/ctr"),
                root.resolve("pids/berth"), root.resolve("pids/berth/ctr"),
                root.resolve("systemd/berth"), root.resolve("systemd/berth/ctr"),
                root.resolve("unified/berth/ctr"));
        // hugetlb, which no v1 hierarchy has, was enabled on the v2 side down to the new cgroup.
        assertThat(read(root.resolve("unified/cgroup.subtree_control"))).isEqualTo("+hugetlb");
        assertThat(read(root.resolve("unified/berth/cgroup.subtree_control"))).isEqualTo("+hugetlb");

        m.destroy();
        assertThat(root.resolve("memory/berth")).isDirectory();
        assertThat(root.resolve("memory/berth/ctr")).doesNotExist();
        assertThat(root.resolve("unified/berth/ctr")).doesNotExist();
        for (String h : List.of("pids", "systemd")) {
            assertThat(root.resolve(h + "/berth")).doesNotExist();
        }
        m.destroy(); // twice is fine
    }

    @Test
    void aFailedCreateLeavesNothing() throws Exception {
        Files.writeString(root.resolve("systemd/berth"), "a file where a directory must go");
        CgroupManager m = CgroupManager.open("/berth/ctr", hybrid);
        assertThatThrownBy(m::create).isInstanceOf(CgroupException.class)
                .hasMessageStartingWith("linux.cgroupsPath: mkdir ");
        assertThat(root.resolve("memory/berth")).doesNotExist();
        assertThat(root.resolve("pids/berth")).doesNotExist();
    }

    @Test
    void aManagerOpenedLaterRemovesTheLeafOrWhatItAdopted() {
        CgroupManager first = CgroupManager.open("/berth/ctr", hybrid);
        first.create();
        List<Path> record = first.createdDirs();

        CgroupManager later = CgroupManager.open("/berth/ctr", hybrid);
        later.adopt(record);
        later.destroy();
        assertThat(root.resolve("pids/berth")).doesNotExist();

        first.create();
        CgroupManager noRecord = CgroupManager.open("/berth/ctr", hybrid);
        noRecord.destroy();
        assertThat(root.resolve("pids/berth/ctr")).doesNotExist();
        assertThat(root.resolve("pids/berth")).isDirectory();
    }

    @Test
    void adoptRefusesDirectoriesOffThePath() {
        CgroupManager m = CgroupManager.open("/berth/ctr", hybrid);
        assertThatThrownBy(() -> m.adopt(List.of(root.resolve("pids/other"))))
                .hasMessageContaining("refusing to adopt");
        assertThatThrownBy(() -> m.adopt(List.of(root.resolve("pids"))))
                .hasMessageContaining("refusing to adopt");
        assertThatThrownBy(() -> m.adopt(List.of(Path.of("/etc"))))
                .hasMessageContaining("refusing to adopt");
    }

    @Test
    void v2CreateEnablesControllersOnTheWayDown() {
        Path cg = root.resolve("cgroup");
        files(cg, "cgroup.controllers", "cpu memory pids", "cgroup.subtree_control", "");
        files(cg.resolve("berth"), "cgroup.controllers", "memory", "cgroup.subtree_control", "memory");
        CgroupLayout v2 = Fixtures.layout("v2", root);
        CgroupManager m = CgroupManager.open("/berth/ctr", v2);
        m.create();
        assertThat(cg.resolve("berth/ctr")).isDirectory();
        assertThat(m.createdDirs()).containsExactly(cg.resolve("berth/ctr"));
        // One write per controller; the plain file keeps the last. berth already had memory on.
        assertThat(read(cg.resolve("cgroup.subtree_control"))).isEqualTo("+pids");
        assertThat(read(cg.resolve("berth/cgroup.subtree_control"))).isEqualTo("memory");
        assertThat(m.procsFiles()).containsExactly(cg.resolve("berth/ctr/cgroup.procs"));
        m.destroy();
        assertThat(cg.resolve("berth/ctr")).doesNotExist();
        assertThat(cg.resolve("berth")).isDirectory();
    }

    @Test
    void noCgroupsDoesNothingAndRefusesLimits() {
        CgroupManager m = CgroupManager.disabled("/x");
        m.create();
        m.apply(Res.res().build());
        m.apply(null);
        assertThat(m.procsFiles()).isEmpty();
        assertThat(m.pids()).isEmpty();
        assertThat(m.frozen()).isFalse();
        assertThat(m.stats().memory()).isNull();
        assertThatThrownBy(() -> m.apply(Res.res().pids(3).build()))
                .hasMessage("linux.resources.pids: not supported: cgroups are disabled (or no cgroup filesystem is mounted)");
        assertThatThrownBy(m::freeze).hasMessageStartingWith("freezer: not supported");
        m.destroy();
    }
}
