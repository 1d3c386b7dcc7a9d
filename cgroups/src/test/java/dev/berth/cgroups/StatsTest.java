package dev.berth.cgroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.berth.cgroups.Fixtures.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Stats read from fake v1 and v2 files, as the kernel formats them. */
class StatsTest {
    @TempDir Path root;

    @Test
    void v1StatsFromSeparateCpuAndCpuacctHierarchiesAndHugetlbInV2() {
        Path cg = root.resolve("cgroup");
        files(cg.resolve("unified"), "cgroup.controllers", "hugetlb");
        CgroupLayout layout = Fixtures.layout("hybrid", root);
        files(cg.resolve("cpuacct/c"), "cpuacct.usage", "5000000", "cpuacct.usage_user", "3000000",
                "cpuacct.usage_sys", "2000000", "cpuacct.usage_percpu", "4000000 1000000 \n");
        files(cg.resolve("cpu/c"), "cpu.stat", "nr_periods 10\nnr_throttled 4\nthrottled_time 123456\nnr_bursts 0\n");
        files(cg.resolve("memory/c"), "memory.usage_in_bytes", "4096000", "memory.max_usage_in_bytes", "8192000",
                "memory.limit_in_bytes", "9223372036854771712", "memory.memsw.usage_in_bytes", "5000000",
                "memory.failcnt", "7", "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n",
                "memory.stat", "cache 100\nrss 200\ntotal_cache 1000\ntotal_rss 2000\n");
        files(cg.resolve("pids/c"), "pids.current", "3", "pids.max", "max");
        files(cg.resolve("blkio/c"), "blkio.throttle.io_service_bytes_recursive",
                "254:0 Read 4096\n254:0 Write 8192\n254:0 Total 12288\nTotal 12288\n",
                "blkio.throttle.io_serviced_recursive", "254:0 Read 1\n254:0 Write 2\nTotal 3\n");
        files(cg.resolve("unified/c"), "cgroup.controllers", "hugetlb", "hugetlb.2MB.max", "max",
                "hugetlb.2MB.current", "2097152", "hugetlb.2MB.events", "max 5\n", "hugetlb.2MB.rsvd.max", "max");

        CgroupStats s = CgroupManager.open("/c", layout).stats();
        assertThat(s.cpu()).isEqualTo(new CgroupStats.CpuStats(5000000, 3000000, 2000000,
                java.util.List.of(4000000L, 1000000L), 10, 4, 123456));
        assertThat(s.memory().usage()).isEqualTo(4096000);
        assertThat(s.memory().maxUsage()).isEqualTo(8192000);
        assertThat(s.memory().limit()).isEqualTo(CgroupStats.UNLIMITED);
        assertThat(s.memory().cache()).isEqualTo(1000);
        assertThat(s.memory().rss()).isEqualTo(2000);
        assertThat(s.memory().swap()).isEqualTo(5000000 - 4096000);
        assertThat(s.memory().failcnt()).isEqualTo(7);
        assertThat(s.memory().oomKills()).isEqualTo(1);
        assertThat(s.memory().stat()).containsEntry("total_rss", 2000L);
        assertThat(s.pids()).isEqualTo(new CgroupStats.PidsStats(3, CgroupStats.UNLIMITED));
        assertThat(s.blkio().serviceBytes()).containsExactly(
                new CgroupStats.BlkioEntry(254, 0, "Read", 4096), new CgroupStats.BlkioEntry(254, 0, "Write", 8192),
                new CgroupStats.BlkioEntry(254, 0, "Total", 12288));
        assertThat(s.blkio().serviced()).hasSize(2);
        assertThat(s.hugetlb()).containsExactly(new CgroupStats.HugetlbStats("2MB", 2097152, 0, 5));
    }

    @Test
    void v1StatsFallBackToCpuacctStatTicks() {
        Path cg = root.resolve("cgroup");
        CgroupLayout layout = Fixtures.layout("v1", root);
        files(cg.resolve("cpu,cpuacct/c"), "cpuacct.usage", "50", "cpuacct.stat", "user 3\nsystem 2\n",
                "cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
        CgroupStats s = CgroupManager.open("/c", layout).stats();
        assertThat(s.cpu().usageUserNs()).isEqualTo(30_000_000);
        assertThat(s.cpu().usageSystemNs()).isEqualTo(20_000_000);
        assertThat(s.memory()).isNull(); // no memory directory: that part is absent, not an error
    }

    @Test
    void v2Stats() {
        Path cg = root.resolve("cgroup");
        files(cg, "cgroup.controllers", "cpu io memory pids");
        files(cg.resolve("c"), "cgroup.controllers", "cpu io memory pids",
                "cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 3\nnr_throttled 1\nthrottled_usec 7\n",
                "memory.current", "1000", "memory.peak", "2000", "memory.max", "max", "memory.swap.current", "10",
                "memory.stat", "anon 600\nfile 300\n", "memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n",
                "pids.current", "2", "pids.max", "100",
                "io.stat", "254:0 rbytes=4096 wbytes=512 rios=1 wios=2 dbytes=0 dios=0\n");
        CgroupStats s = CgroupManager.open("/c", Fixtures.layout("v2", root)).stats();
        assertThat(s.cpu()).isEqualTo(new CgroupStats.CpuStats(1_500_000, 1_000_000, 500_000, java.util.List.of(), 3, 1, 7000));
        assertThat(s.memory()).isEqualTo(new CgroupStats.MemoryStats(1000, 2000, CgroupStats.UNLIMITED, 300, 600, 10, 2, 1,
                java.util.Map.of("anon", 600L, "file", 300L)));
        assertThat(s.pids()).isEqualTo(new CgroupStats.PidsStats(2, 100));
        assertThat(s.blkio().serviceBytes()).contains(new CgroupStats.BlkioEntry(254, 0, "Read", 4096),
                new CgroupStats.BlkioEntry(254, 0, "Write", 512));
        assertThat(s.blkio().serviced()).contains(new CgroupStats.BlkioEntry(254, 0, "Write", 2));
        assertThat(s.hugetlb()).isEmpty();
    }

    @Test
    void statsOfAMissingCgroupIsAnError() {
        assertThatThrownBy(() -> CgroupManager.open("/gone", Fixtures.layout("v1", root)).stats())
                .hasMessageStartingWith("stats: cgroup /gone does not exist");
    }
}
