package dev.berth.cgroups;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a cgroup's counters, the same on v1 and v2, shaped for docker's stats
 * ({@code GET /containers/{id}/stats}) and {@code runc events --stats}. A part is null when its
 * controller is not available for this cgroup. Byte and nanosecond counts are converted to those
 * units whatever the kernel reports; "no limit" is {@link #UNLIMITED}.
 */
public record CgroupStats(CpuStats cpu, MemoryStats memory, PidsStats pids, BlkioStats blkio,
                          List<HugetlbStats> hugetlb) {
    /** A limit that is not set: v2's "max", v1's PAGE_COUNTER_MAX rounded to pages (9223372036854771712). */
    public static final long UNLIMITED = Long.MAX_VALUE;

    public CgroupStats {
        hugetlb = hugetlb == null ? List.of() : List.copyOf(hugetlb);
    }

    /**
     * @param usageTotalNs  v1 cpuacct.usage; v2 cpu.stat usage_usec
     * @param perCpuNs      v1 cpuacct.usage_percpu; empty on v2, which has no per-CPU count
     * @param periods       CFS bandwidth periods elapsed (nr_periods)
     * @param throttledPeriods periods in which the group was throttled (nr_throttled)
     * @param throttledTimeNs total time throttled
     */
    public record CpuStats(long usageTotalNs, long usageUserNs, long usageSystemNs, List<Long> perCpuNs,
                           long periods, long throttledPeriods, long throttledTimeNs) {
        public CpuStats {
            perCpuNs = List.copyOf(perCpuNs);
        }
    }

    /**
     * @param usage    bytes in use (v1 memory.usage_in_bytes; v2 memory.current)
     * @param maxUsage high-water mark (v1 memory.max_usage_in_bytes; v2 memory.peak, 0 on kernels before 5.19)
     * @param limit    memory limit in bytes
     * @param cache    page cache (v1 total_cache; v2 file)
     * @param rss      anonymous memory (v1 total_rss; v2 anon)
     * @param swap     swap in use, bytes (v1 memsw usage minus memory usage; v2 memory.swap.current)
     * @param failcnt  times the limit was hit (v1 memory.failcnt; v2 memory.events "max")
     * @param oomKills processes killed by the OOM killer in this cgroup
     * @param stat     memory.stat as the kernel wrote it, for callers that want more
     */
    public record MemoryStats(long usage, long maxUsage, long limit, long cache, long rss, long swap,
                              long failcnt, long oomKills, Map<String, Long> stat) {
        public MemoryStats {
            stat = Map.copyOf(stat);
        }
    }

    /** @param limit pids.max, {@link #UNLIMITED} for "max" */
    public record PidsStats(long current, long limit) {}

    /**
     * Per-device I/O, recursive over the sub-tree. {@code op} is the kernel's on v1
     * ("Read", "Write", "Sync", "Async", "Discard", "Total"); v2's io.stat keys are mapped to
     * "Read", "Write" and "Discard" as docker does.
     */
    public record BlkioStats(List<BlkioEntry> serviceBytes, List<BlkioEntry> serviced) {
        public BlkioStats {
            serviceBytes = List.copyOf(serviceBytes);
            serviced = List.copyOf(serviced);
        }
    }

    public record BlkioEntry(long major, long minor, String op, long value) {}

    /**
     * @param pageSize as in config.json, e.g. "2MB"
     * @param maxUsage v1 max_usage_in_bytes; 0 on v2, which does not keep one
     * @param failcnt  allocations refused by the limit (v1 failcnt; v2 events "max")
     */
    public record HugetlbStats(String pageSize, long usage, long maxUsage, long failcnt) {}
}
