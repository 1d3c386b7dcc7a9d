package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cgroups.CgroupStats;
import dev.berth.oci.runtime.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON of `events`, in runc's field names and omitempty rules, from hand-made stats. */
class StatsEventTest {
    private static final CgroupStats FULL = new CgroupStats(
            new CgroupStats.CpuStats(3000, 1000, 2000, List.of(1000L, 2000L), 11, 4, 801),
            new CgroupStats.MemoryStats(446464, 2756608, 67108864, 4096, 53248, 8192, 2, 1,
                    Map.of("total_rss", 53248L, "cache", 4096L, "hierarchical_memsw_limit", 134217728L)),
            new CgroupStats.PidsStats(3, 20),
            new CgroupStats.BlkioStats(List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 4096)),
                    List.of(new CgroupStats.BlkioEntry(8, 0, "Total", 0))),
            List.of(new CgroupStats.HugetlbStats("2MB", 0, 0, 0), new CgroupStats.HugetlbStats("1GB", 1 << 30, 1 << 30, 5)));

    private static JsonNode parse(String line) throws Exception {
        assertThat(line).doesNotContain("\n");
        return Json.mapper().readTree(line);
    }

    @Test
    void aStatsEventHasRuncsEnvelopeAndParts() throws Exception {
        JsonNode e = parse(StatsEvent.stats("c1", FULL));
        assertThat(e.get("type").asText()).isEqualTo("stats");
        assertThat(e.get("id").asText()).isEqualTo("c1");
        assertThat(e.get("data").fieldNames()).toIterable()
                .containsExactly("cpu", "memory", "pids", "blkio", "hugetlb", "intel_rdt", "network_interfaces");
    }

    @Test
    void cpuUsesRuncsNames() throws Exception {
        JsonNode cpu = parse(StatsEvent.stats("c1", FULL)).at("/data/cpu");
        assertThat(cpu.toString()).isEqualTo("{\"usage\":{\"total\":3000,\"percpu\":[1000,2000],\"kernel\":2000,\"user\":1000},"
                + "\"throttling\":{\"periods\":11,\"throttledPeriods\":4,\"throttledTime\":801}}");
    }

    @Test
    void memoryHasUsageSwapAsMemswAndSortedRaw() throws Exception {
        JsonNode m = parse(StatsEvent.stats("c1", FULL)).at("/data/memory");
        assertThat(m.get("cache").asLong()).isEqualTo(4096);
        assertThat(m.get("usage").toString())
                .isEqualTo("{\"limit\":67108864,\"usage\":446464,\"max\":2756608,\"failcnt\":2}");
        assertThat(m.at("/swap/limit").asLong()).isEqualTo(134217728L);
        assertThat(m.at("/swap/usage").asLong()).isEqualTo(446464 + 8192);
        assertThat(m.get("raw").fieldNames()).toIterable().containsExactly("cache", "hierarchical_memsw_limit", "total_rss");
    }

    @Test
    void pidsBlkioAndHugetlbFollowOmitempty() throws Exception {
        JsonNode d = parse(StatsEvent.stats("c1", FULL)).get("data");
        assertThat(d.get("pids").toString()).isEqualTo("{\"current\":3,\"limit\":20}");
        assertThat(d.at("/blkio/ioServiceBytesRecursive").toString())
                .isEqualTo("[{\"major\":8,\"op\":\"Read\",\"value\":4096}]");
        assertThat(d.at("/blkio/ioServicedRecursive").toString()).isEqualTo("[{\"major\":8,\"op\":\"Total\"}]");
        assertThat(d.get("hugetlb").toString())
                .isEqualTo("{\"1GB\":{\"usage\":1073741824,\"max\":1073741824,\"failcnt\":5},\"2MB\":{\"failcnt\":0}}");
        assertThat(d.get("intel_rdt").isEmpty()).isTrue();
        assertThat(d.get("network_interfaces").isNull()).isTrue();
    }

    @Test
    void noLimitsPrintAsRuncDoesAndMissingControllersAsZeros() throws Exception {
        CgroupStats bare = new CgroupStats(null,
                new CgroupStats.MemoryStats(100, 0, CgroupStats.UNLIMITED, 0, 0, 0, 0, 0, Map.of()),
                new CgroupStats.PidsStats(1, CgroupStats.UNLIMITED), null, List.of());
        JsonNode d = parse(StatsEvent.stats("c2", bare)).get("data");
        assertThat(d.get("cpu").toString()).isEqualTo("{\"usage\":{\"kernel\":0,\"user\":0},\"throttling\":{}}");
        assertThat(d.get("memory").toString()).isEqualTo("{\"usage\":{\"limit\":9223372036854771712,\"usage\":100,\"failcnt\":0},"
                + "\"swap\":{\"limit\":9223372036854771712,\"usage\":100,\"failcnt\":0}}");
        assertThat(d.get("pids").toString()).isEqualTo("{\"current\":1}");
        assertThat(d.get("blkio").toString()).isEqualTo("{}");
        assertThat(d.get("hugetlb").toString()).isEqualTo("{}");

        CgroupStats none = new CgroupStats(null, null, null, null, null);
        JsonNode z = parse(StatsEvent.stats("c3", none)).get("data");
        assertThat(z.at("/memory/usage/limit").asLong()).isZero();
        assertThat(z.get("pids").toString()).isEqualTo("{}");
    }

    @Test
    void anOomEventHasNoData() {
        assertThat(StatsEvent.oom("c1")).isEqualTo("{\"type\":\"oom\",\"id\":\"c1\"}");
    }
}
