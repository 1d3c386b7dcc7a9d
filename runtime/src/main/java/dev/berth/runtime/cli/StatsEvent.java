package dev.berth.runtime.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cgroups.CgroupStats;
import dev.berth.oci.runtime.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines `events` prints, in the JSON shape of runc's events (runc/types/events.go), which
 * containerd's go-runc and other tools decode: {"type":"stats","id":..,"data":{..}} and
 * {"type":"oom","id":..}.
 *
 * <p>Go's encoder drives the shape: structs are always present, so a controller this host lacks
 * still shows as zeros; fields tagged omitempty are left out when zero; maps (memory.raw,
 * hugetlb) come out with sorted keys. Parts runc prints that {@link CgroupStats} does not measure
 * (cpuset, the memory.kernel entries, per-CPU kernel/user time, the swap high-water mark and
 * failcnt) are left out or zero rather than invented.
 */
final class StatsEvent {
    /**
     * "No limit" as runc prints it for a v1 memory cgroup: PAGE_COUNTER_MAX pages of 4 KiB, in
     * bytes. {@link CgroupStats} folds every layout's "no limit" into {@link CgroupStats#UNLIMITED}.
     */
    static final long NO_MEMORY_LIMIT = 9223372036854771712L;

    private StatsEvent() {}

    static String stats(String id, CgroupStats stats) {
        ObjectNode event = header("stats", id);
        event.set("data", data(stats));
        return Json.write(event);
    }

    static String oom(String id) {
        return Json.write(header("oom", id));
    }

    private static ObjectNode header(String type, String id) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", type);
        event.put("id", id);
        return event;
    }

    static ObjectNode data(CgroupStats s) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("cpu", cpu(s.cpu() != null ? s.cpu() : new CgroupStats.CpuStats(0, 0, 0, List.of(), 0, 0, 0)));
        data.set("memory", memory(s.memory() != null ? s.memory()
                : new CgroupStats.MemoryStats(0, 0, 0, 0, 0, 0, 0, 0, Map.of())));
        data.set("pids", pids(s.pids() != null ? s.pids() : new CgroupStats.PidsStats(0, CgroupStats.UNLIMITED)));
        data.set("blkio", blkio(s.blkio()));
        data.set("hugetlb", hugetlb(s.hugetlb()));
        // Always empty in runc without resctrl, and network stats are never filled by its CLI.
        data.putObject("intel_rdt");
        data.putNull("network_interfaces");
        return data;
    }

    private static ObjectNode cpu(CgroupStats.CpuStats c) {
        ObjectNode cpu = JsonNodeFactory.instance.objectNode();
        ObjectNode usage = cpu.putObject("usage");
        omitZero(usage, "total", c.usageTotalNs());
        if (!c.perCpuNs().isEmpty()) {
            ArrayNode percpu = usage.putArray("percpu");
            c.perCpuNs().forEach(percpu::add);
        }
        usage.put("kernel", c.usageSystemNs());
        usage.put("user", c.usageUserNs());
        ObjectNode throttling = cpu.putObject("throttling");
        omitZero(throttling, "periods", c.periods());
        omitZero(throttling, "throttledPeriods", c.throttledPeriods());
        omitZero(throttling, "throttledTime", c.throttledTimeNs());
        return cpu;
    }

    private static ObjectNode memory(CgroupStats.MemoryStats m) {
        ObjectNode memory = JsonNodeFactory.instance.objectNode();
        omitZero(memory, "cache", m.cache());
        ObjectNode usage = memory.putObject("usage");
        usage.put("limit", limit(m.limit()));
        omitZero(usage, "usage", m.usage());
        omitZero(usage, "max", m.maxUsage());
        usage.put("failcnt", m.failcnt());
        // runc reports swap as v1's memsw counters (memory plus swap) on every layout; the memsw
        // limit is not in CgroupStats, but memory.stat's hierarchical_memsw_limit is, on v1.
        ObjectNode swap = memory.putObject("swap");
        swap.put("limit", limit(m.stat().getOrDefault("hierarchical_memsw_limit", CgroupStats.UNLIMITED)));
        omitZero(swap, "usage", m.usage() + m.swap());
        swap.put("failcnt", 0);
        if (!m.stat().isEmpty()) {
            ObjectNode raw = memory.putObject("raw");
            new TreeMap<>(m.stat()).forEach(raw::put);
        }
        return memory;
    }

    private static ObjectNode pids(CgroupStats.PidsStats p) {
        ObjectNode pids = JsonNodeFactory.instance.objectNode();
        omitZero(pids, "current", p.current());
        // runc shows "no pids limit" as 0, which its omitempty then drops.
        omitZero(pids, "limit", p.limit() == CgroupStats.UNLIMITED ? 0 : p.limit());
        return pids;
    }

    private static ObjectNode blkio(CgroupStats.BlkioStats b) {
        ObjectNode blkio = JsonNodeFactory.instance.objectNode();
        if (b != null) {
            entries(blkio, "ioServiceBytesRecursive", b.serviceBytes());
            entries(blkio, "ioServicedRecursive", b.serviced());
        }
        return blkio;
    }

    private static void entries(ObjectNode blkio, String name, List<CgroupStats.BlkioEntry> list) {
        if (list.isEmpty()) {
            return;
        }
        ArrayNode array = blkio.putArray(name);
        for (CgroupStats.BlkioEntry e : list) {
            ObjectNode entry = array.addObject();
            omitZero(entry, "major", e.major());
            omitZero(entry, "minor", e.minor());
            if (e.op() != null && !e.op().isEmpty()) {
                entry.put("op", e.op());
            }
            omitZero(entry, "value", e.value());
        }
    }

    private static ObjectNode hugetlb(List<CgroupStats.HugetlbStats> list) {
        ObjectNode hugetlb = JsonNodeFactory.instance.objectNode();
        TreeMap<String, CgroupStats.HugetlbStats> sorted = new TreeMap<>();
        list.forEach(h -> sorted.put(h.pageSize(), h));
        sorted.forEach((size, h) -> {
            ObjectNode entry = hugetlb.putObject(size);
            omitZero(entry, "usage", h.usage());
            omitZero(entry, "max", h.maxUsage());
            entry.put("failcnt", h.failcnt());
        });
        return hugetlb;
    }

    private static long limit(long bytes) {
        return bytes == CgroupStats.UNLIMITED || bytes >= NO_MEMORY_LIMIT ? NO_MEMORY_LIMIT : Math.max(0, bytes);
    }

    /** Go's omitempty on a number. */
    private static void omitZero(ObjectNode node, String field, long value) {
        if (value != 0) {
            node.put(field, value);
        }
    }
}
