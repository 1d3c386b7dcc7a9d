package dev.berth.cgroups;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountInfoTest {
    @Test
    void keepsOnlyCgroupMountsWithTheirFields() {
        String text = """
                18 62 0:17 / /sys rw,nosuid - sysfs sysfs rw
                36 35 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 master:2 - cgroup cgroup rw,memory
                41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
                """;
        List<MountInfo.Entry> m = MountInfo.parseCgroupMounts(text);
        assertThat(m).containsExactly(
                new MountInfo.Entry("0:32", "/", "/sys/fs/cgroup/memory", "cgroup", List.of("rw", "memory")),
                new MountInfo.Entry("0:38", "/", "/sys/fs/cgroup/unified", "cgroup2", List.of("rw", "nsdelegate")));
        assertThat(m.get(1).unified()).isTrue();
    }

    @Test
    void decodesOctalEscapes() {
        assertThat(MountInfo.unescape("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
        assertThat(MountInfo.unescape("/plain")).isEqualTo("/plain");
        assertThat(MountInfo.unescape("/odd\\9")).isEqualTo("/odd\\9");
    }

    @Test
    void rejectsALineWithoutSeparator() {
        assertThatThrownBy(() -> MountInfo.parseCgroupMounts("1 2 0:3 / /x rw cgroup cgroup rw,memory"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesProcSelfCgroup() {
        List<ProcSelfCgroup.Entry> e = ProcSelfCgroup.parse("""
                3:cpu,cpuacct:/user.slice
                1:name=systemd:/a:b
                0::/
                """);
        assertThat(e.get(0).controllers()).containsExactlyInAnyOrder("cpu", "cpuacct");
        assertThat(e.get(1).path()).isEqualTo("/a:b");
        assertThat(e.get(2).unified()).isTrue();
        assertThat(e.get(0).unified()).isFalse();
    }
}
