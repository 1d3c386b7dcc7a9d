package dev.berth.cgroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CgroupLayoutTest {
    @TempDir Path root;

    @Test
    void v1HostWithCoMountedControllersAndABindMount() {
        CgroupLayout l = Fixtures.layout("v1", root);
        assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.V1);
        assertThat(l.unified()).isNull();
        // 12 cgroup mounts, one a bind mount of memory (same superblock 0:27), dropped.
        assertThat(l.hierarchies()).hasSize(11);
        Hierarchy cpu = l.v1("cpu").orElseThrow();
        assertThat(l.v1("cpuacct")).contains(cpu);
        assertThat(cpu.mountPoint()).isEqualTo(root.resolve("cgroup/cpu,cpuacct"));
        assertThat(cpu.controllers()).containsExactlyInAnyOrder("cpu", "cpuacct");
        assertThat(cpu.ownPath()).isEqualTo("/user.slice");
        assertThat(l.v1("memory").orElseThrow().mountPoint()).isEqualTo(root.resolve("cgroup/memory"));
        assertThat(l.v1("net_prio").orElseThrow().controllers()).containsExactlyInAnyOrder("net_cls", "net_prio");
        // Mount flags among the super options (xattr, release_agent=...) are not controllers.
        Hierarchy systemd = l.v1("name=systemd").orElseThrow();
        assertThat(systemd.controllers()).containsExactly("name=systemd");
        assertThat(systemd.named()).isTrue();
        assertThat(systemd.ownPath()).isEqualTo("/user.slice/user-0.slice/session-1.scope");
        assertThat(l.v1("rdma")).isEmpty();
    }

    @Test
    void hybridHostLikeThisProjectsCi() {
        Fixtures.files(root.resolve("cgroup/unified"), "cgroup.controllers", "hugetlb\n");
        CgroupLayout l = Fixtures.layout("hybrid", root);
        assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.HYBRID);
        assertThat(l.hierarchies()).hasSize(9);
        assertThat(l.v1("cpu")).isNotEqualTo(l.v1("cpuacct"));
        assertThat(l.v1("hugetlb")).isEmpty();
        assertThat(l.unified().mountPoint()).isEqualTo(root.resolve("cgroup/unified"));
        assertThat(l.unifiedControllers()).containsExactly("hugetlb");
        assertThat(l.unified().ownPath()).isEqualTo("/");
        assertThat(l.v1("memory").orElseThrow().ownPath()).isEqualTo("/process_api/949ecac749a72ac2a282a52bafb2478a");
    }

    @Test
    void systemdHybridWithAnEmptyUnifiedMount() {
        CgroupLayout l = Fixtures.layout("hybrid", root); // no cgroup.controllers file: nothing in v2
        assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.HYBRID);
        assertThat(l.unifiedControllers()).isEmpty();
    }

    @Test
    void pureV2Host() {
        Fixtures.files(root.resolve("cgroup"), "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        CgroupLayout l = Fixtures.layout("v2", root);
        assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.V2);
        assertThat(l.hierarchies()).isEmpty();
        assertThat(l.unifiedControllers()).contains("cpu", "memory", "io", "pids", "hugetlb");
        assertThat(l.unified().ownPath()).isEqualTo("/user.slice/user-1000.slice/session-2.scope");
        assertThat(CgroupManager.open("/x", l)).isInstanceOf(CgroupV2.class);
    }

    @Test
    void insideAContainerMountRootsAndEscapedPaths() {
        CgroupLayout l = Fixtures.layout("container", root);
        assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.V1);
        Hierarchy pids = l.v1("pids").orElseThrow();
        assertThat(pids.root()).isEqualTo("/docker/abc");
        assertThat(pids.mountPoint()).isEqualTo(root.resolve("cgroup/name with space"));
        assertThat(pids.dir("/ctr/x")).isEqualTo(root.resolve("cgroup/name with space/ctr/x"));
    }

    @Test
    void noCgroupFilesystem() {
        CgroupLayout l = CgroupLayout.parse("1 0 0:1 / / rw - ext4 /dev/vda rw\n", "0::/\n");
        assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.NONE);
        assertThat(CgroupManager.open("/x", l)).isInstanceOf(NoCgroups.class);
    }

    @Test
    void aNamedHierarchyAloneIsNotACgroupSetup() {
        CgroupLayout l = CgroupLayout.parse(
                "40 31 0:37 / " + root + "/systemd rw,relatime - cgroup cgroup rw,name=systemd\n", "1:name=systemd:/\n");
        assertThat(l.mode()).isEqualTo(CgroupLayout.Mode.NONE);
    }

    @Test
    void onlyCgroupFilesystemsAreHierarchies() {
        CgroupLayout l = CgroupLayout.parse("""
                31 23 0:28 / %1$s rw - tmpfs memory rw,memory
                35 31 0:32 / %1$s/memory rw shared:9 master:2 - cgroup cgroup rw,memory
                """.formatted(root), "4:memory:/\n");
        assertThat(l.hierarchies()).singleElement()
                .satisfies(h -> assertThat(h.mountPoint()).isEqualTo(root.resolve("memory")));
    }

    @Test
    void aMalformedMountinfoLineIsAnError() {
        assertThatThrownBy(() -> CgroupLayout.parse("1 2 0:3 / /x rw cgroup cgroup rw,memory\n", "0::/\n"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
