package dev.berth.engine.container;

import dev.berth.cgroups.CgroupStats;
import dev.berth.engine.EngineException;
import dev.berth.runtime.BerthRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker stats: samples of a container's cgroup counters (v1 or v2, through CgroupStats), its
 * network interfaces, and the host's CPU time, in the shape of the Engine API's StatsJSON. The
 * previous sample becomes the next one's precpu_stats, which is what the docker CLI computes
 * CPU % from.
 */
public final class ContainerStats {
    /** USER_HZ: /proc/stat counts in these ticks on every architecture Linux ships. */
    private static final long CLOCK_TICKS = 100;

    private final Containers containers;
    private final BerthRuntime runtime;
    private final long machineMemory;

    public ContainerStats(Containers containers, BerthRuntime runtime, long machineMemory) {
        this.containers = containers;
        this.runtime = runtime;
        this.machineMemory = machineMemory;
    }

    /** One sample; null when the container is not running (its last stats are then docker's empty ones). */
    public record Sample(Instant read, Map<String, Object> cpu, Map<String, Object> memory, Map<String, Object> pids,
                         Map<String, Object> blkio, Map<String, Object> networks) {}

    /** The container's full id and docker's "/name". */
    public record Target(String id, String name) {}

    public Target target(String idOrName) {
        ContainerRecord c = containers.get(idOrName);
        return new Target(c.id(), "/" + c.name());
    }

    /** A sample now, or null if the container is not running. */
    public Sample sample(String id) {
        ContainerRecord c = containers.get(id);
        if (!c.status().equals("running") && !c.status().equals("paused")) {
            return null;
        }
        try {
            dev.berth.runtime.Container rc = runtime.load(c.id());
            CgroupStats s = rc.cgroup().stats();
            boolean hostNet = c.hostConfig() != null && "host".equals(c.hostConfig().networkMode());
            return new Sample(Instant.now(), cpu(s), memory(s), pids(s), blkio(s),
                    hostNet ? null : networks(rc.record().pid()));
        } catch (IOException | RuntimeException e) {
            if (!containers.get(id).status().equals("running")) {
                return null; // it exited while we looked
            }
            throw new EngineException(500, "reading the stats of " + c.id() + ": " + e.getMessage(), e);
        }
    }

    /** docker's StatsJSON of {@code now} with {@code before} as the pre-sample (either may be null). */
    public Map<String, Object> json(Target t, Sample now, Sample before) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("id", t.id());
        m.put("read", now == null ? "0001-01-01T00:00:00Z" : now.read().toString());
        m.put("preread", before == null ? "0001-01-01T00:00:00Z" : before.read().toString());
        m.put("pids_stats", now == null ? Map.of() : now.pids());
        m.put("blkio_stats", now == null ? emptyBlkio() : now.blkio());
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", now == null ? emptyCpu() : now.cpu());
        m.put("precpu_stats", before == null ? emptyCpu() : before.cpu());
        m.put("memory_stats", now == null ? Map.of() : now.memory());
        if (now != null && now.networks() != null) {
            m.put("networks", now.networks());
        }
        return m;
    }

    private Map<String, Object> cpu(CgroupStats s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        Map<String, Object> throttling = new LinkedHashMap<>();
        CgroupStats.CpuStats c = s.cpu();
        usage.put("total_usage", c == null ? 0 : c.usageTotalNs());
        if (c != null && !c.perCpuNs().isEmpty()) {
            usage.put("percpu_usage", c.perCpuNs());
        }
        usage.put("usage_in_kernelmode", c == null ? 0 : c.usageSystemNs());
        usage.put("usage_in_usermode", c == null ? 0 : c.usageUserNs());
        throttling.put("periods", c == null ? 0 : c.periods());
        throttling.put("throttled_periods", c == null ? 0 : c.throttledPeriods());
        throttling.put("throttled_time", c == null ? 0 : c.throttledTimeNs());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_usage", usage);
        long[] host = hostCpu();
        m.put("system_cpu_usage", host[0]);
        m.put("online_cpus", host[1]);
        m.put("throttling_data", throttling);
        return m;
    }

    private static Map<String, Object> emptyCpu() {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", 0);
        usage.put("usage_in_kernelmode", 0);
        usage.put("usage_in_usermode", 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu_usage", usage);
        m.put("throttling_data", Map.of("periods", 0, "throttled_periods", 0, "throttled_time", 0));
        return m;
    }

    private Map<String, Object> memory(CgroupStats s) {
        CgroupStats.MemoryStats mem = s.memory();
        Map<String, Object> m = new LinkedHashMap<>();
        if (mem == null) {
            return m;
        }
        m.put("usage", mem.usage());
        if (mem.maxUsage() > 0) {
            m.put("max_usage", mem.maxUsage());
        }
        m.put("stats", new java.util.TreeMap<>(mem.stat()));
        if (mem.failcnt() > 0) {
            m.put("failcnt", mem.failcnt());
        }
        // Without a limit the kernel's "no limit" is reported as the machine's memory, as dockerd does.
        long limit = mem.limit();
        m.put("limit", machineMemory > 0 && (limit <= 0 || limit > machineMemory) ? machineMemory : limit);
        return m;
    }

    private static Map<String, Object> pids(CgroupStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.pids() != null) {
            m.put("current", s.pids().current());
            if (s.pids().limit() != CgroupStats.UNLIMITED && s.pids().limit() > 0) {
                m.put("limit", s.pids().limit());
            }
        }
        return m;
    }

    private static Map<String, Object> blkio(CgroupStats s) {
        Map<String, Object> m = emptyBlkio();
        if (s.blkio() != null) {
            m.put("io_service_bytes_recursive", entries(s.blkio().serviceBytes()));
            m.put("io_serviced_recursive", entries(s.blkio().serviced()));
        }
        return m;
    }

    private static Map<String, Object> emptyBlkio() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
                "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive",
                "sectors_recursive")) {
            m.put(k, null);
        }
        return m;
    }

    private static List<Map<String, Object>> entries(List<CgroupStats.BlkioEntry> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CgroupStats.BlkioEntry e : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("major", e.major());
            m.put("minor", e.minor());
            m.put("op", e.op());
            m.put("value", e.value());
            out.add(m);
        }
        return out;
    }

    /**
     * The interfaces of the container's network namespace from /proc/<pid>/net/dev (which shows
     * the reader the netns of that process, no setns needed); lo is left out, as docker lists
     * only the container's endpoints.
     */
    static Map<String, Object> networks(int pid) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/dev"));
        } catch (IOException e) {
            return out;
        }
        for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 16) {
                continue;
            }
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("rx_bytes", Long.parseLong(f[0]));
            n.put("rx_packets", Long.parseLong(f[1]));
            n.put("rx_errors", Long.parseLong(f[2]));
            n.put("rx_dropped", Long.parseLong(f[3]));
            n.put("tx_bytes", Long.parseLong(f[8]));
            n.put("tx_packets", Long.parseLong(f[9]));
            n.put("tx_errors", Long.parseLong(f[10]));
            n.put("tx_dropped", Long.parseLong(f[11]));
            out.put(name, n);
        }
        return out;
    }

    /** {system_cpu_usage in ns, online cpus} from /proc/stat, as dockerd's getSystemCPUUsage. */
    static long[] hostCpu() {
        long total = 0;
        long cpus = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    // user nice system idle iowait irq softirq steal (guest time is already in user)
                    for (int i = 1; i <= 8 && i < f.length; i++) {
                        total += Long.parseLong(f[i]);
                    }
                } else if (line.startsWith("cpu")) {
                    cpus++;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return new long[] {0, Runtime.getRuntime().availableProcessors()};
        }
        return new long[] {total * (1_000_000_000L / CLOCK_TICKS), cpus};
    }
}
