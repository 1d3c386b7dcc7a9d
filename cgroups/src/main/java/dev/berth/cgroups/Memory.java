package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * linux.resources.memory.
 *
 * <p>v1 (Documentation/admin-guide/cgroup-v1/memory.rst): memory.limit_in_bytes,
 * memory.memsw.limit_in_bytes (memory plus swap, so config.json's {@code swap} is written as is,
 * the OCI field having v1 semantics), memory.soft_limit_in_bytes, memory.swappiness,
 * memory.oom_control, memory.kmem.tcp.limit_in_bytes, memory.use_hierarchy. The kernel keeps
 * {@code limit <= memsw limit} at every moment, so of the two writes the one that keeps it true
 * goes first; see {@link #planV1}.
 *
 * <p>v2 (Documentation/admin-guide/cgroup-v2.rst, "Memory"): memory.max, memory.low for the
 * reservation (the nearest v2 has to a soft limit, as runc maps it), memory.swap.max holding swap
 * alone, i.e. {@code swap - limit}. v2 has no swappiness, no OOM-killer switch and no kernel TCP
 * limit: asking for them is an error, not a silent no-op.
 *
 * <p>-1 means unlimited ("max" on v2). 0 in limit or swap means "not set", as runc reads the
 * field (Go's zero value); {@code kernel} is ignored everywhere, as runc 1.2 does: the runtime spec
 * marks it NOT RECOMMENDED and memory.rst lists memory.kmem.limit_in_bytes as deprecated.
 */
final class Memory implements Controller {
    static final String FIELD = "linux.resources.memory";
    static final String LIMIT_FIELD = FIELD + ".limit";
    static final String SWAP_FIELD = FIELD + ".swap";

    static final String V1_LIMIT = "memory.limit_in_bytes";
    static final String V1_MEMSW = "memory.memsw.limit_in_bytes";

    @Override public String v1Name() { return "memory"; }
    @Override public String v2Name() { return "memory"; }
    @Override public String field() { return FIELD; }

    @Override
    public boolean requested(Spec.Resources r) {
        Spec.Memory m = r.memory();
        return m != null && (set(m.limit()) != null || m.reservation() != null || set(m.swap()) != null
                || m.swappiness() != null || m.disableOOMKiller() != null || m.kernelTCP() != null
                || m.useHierarchy() != null);
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        Spec.Memory m = r.memory();
        checkBeforeUpdate(dir, m, "memory.usage_in_bytes");
        if (m.useHierarchy() != null) {
            // Since 5.11 ("mm: memcg: deprecate the non-hierarchical mode") hierarchy is always on
            // and writing 0 fails; write only on a change, so configs that say "true" keep working.
            String want = m.useHierarchy() ? "1" : "0";
            if (!dir.read(FIELD + ".useHierarchy", "memory.use_hierarchy").equals(want)) {
                dir.write(FIELD + ".useHierarchy", "memory.use_hierarchy", want);
            }
        }
        List<CgroupDir.Write> plan = planV1(m, dir.has(V1_MEMSW), () -> dir.readLong(LIMIT_FIELD, V1_LIMIT));
        plan.forEach(dir::write);
    }

    /**
     * The v1 writes for {@code m}, in order. The kernel refuses (EINVAL) any state where
     * memory.limit_in_bytes exceeds memory.memsw.limit_in_bytes (memory.rst, "2.4 Swap
     * Extension"). From a current (mem0 <= sw0) to a new (mem1 <= sw1): writing memsw first is safe
     * exactly when sw1 >= mem0; otherwise sw1 < mem0 <= sw0, so mem1 <= sw1 <= sw0 and writing
     * memory first is safe. runc's setMemoryAndSwap makes the same choice.
     *
     * @param hasMemsw     whether memory.memsw.limit_in_bytes exists (swap accounting is on)
     * @param currentLimit reads memory.limit_in_bytes, only called when both are being set
     */
    static List<CgroupDir.Write> planV1(Spec.Memory m, boolean hasMemsw, LongSupplier currentLimit) {
        List<CgroupDir.Write> out = new ArrayList<>();
        Long limit = set(m.limit());
        Long swap = set(m.swap());
        validateSwap(limit, swap);
        if (limit != null && limit < 0 && swap == null && hasMemsw) {
            // Lifting the memory limit while memsw stays finite would break limit <= memsw; lift
            // both, as runc does for "-m -1" without --memory-swap.
            swap = -1L;
        }
        if (swap != null && !hasMemsw) {
            throw new CgroupException(SWAP_FIELD, "this kernel does not account swap (no " + V1_MEMSW
                    + "; boot with swapaccount=1)");
        }
        CgroupDir.Write memW = limit == null ? null : new CgroupDir.Write(LIMIT_FIELD, V1_LIMIT, v1(limit));
        CgroupDir.Write swW = swap == null ? null : new CgroupDir.Write(SWAP_FIELD, V1_MEMSW, v1(swap));
        if (memW != null && swW != null) {
            long mem0 = currentLimit.getAsLong();
            if (swap < 0 || swap >= mem0) {
                out.add(swW);
                out.add(memW);
            } else {
                out.add(memW);
                out.add(swW);
            }
        } else if (memW != null) {
            out.add(memW);
        } else if (swW != null) {
            out.add(swW);
        }
        if (m.reservation() != null) {
            out.add(new CgroupDir.Write(FIELD + ".reservation", "memory.soft_limit_in_bytes", v1(m.reservation())));
        }
        if (m.swappiness() != null) {
            out.add(new CgroupDir.Write(FIELD + ".swappiness", "memory.swappiness", Long.toString(m.swappiness())));
        }
        if (m.disableOOMKiller() != null) {
            out.add(new CgroupDir.Write(FIELD + ".disableOOMKiller", "memory.oom_control",
                    m.disableOOMKiller() ? "1" : "0"));
        }
        if (m.kernelTCP() != null) {
            out.add(new CgroupDir.Write(FIELD + ".kernelTCP", "memory.kmem.tcp.limit_in_bytes", v1(m.kernelTCP())));
        }
        return out;
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        Spec.Memory m = r.memory();
        if (Boolean.TRUE.equals(m.disableOOMKiller())) {
            throw new CgroupException(FIELD + ".disableOOMKiller", "not supported on cgroup v2, which has no"
                    + " per-cgroup switch for the OOM killer (memory.oom.group is a different thing)");
        }
        if (m.swappiness() != null) {
            throw new CgroupException(FIELD + ".swappiness", "not supported on cgroup v2 (no memory.swappiness)");
        }
        if (m.kernelTCP() != null) {
            throw new CgroupException(FIELD + ".kernelTCP", "not supported on cgroup v2 (socket memory is"
                    + " charged to memory.max)");
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            throw new CgroupException(FIELD + ".useHierarchy", "cgroup v2 is always hierarchical");
        }
        checkBeforeUpdate(dir, m, "memory.current");
        Long limit = set(m.limit());
        Long swap = set(m.swap());
        validateSwap(limit, swap);
        if (limit != null) {
            dir.write(LIMIT_FIELD, "memory.max", v2(limit));
        }
        if (swap != null) {
            if (!dir.has("memory.swap.max")) {
                throw new CgroupException(SWAP_FIELD, "this kernel does not account swap (no memory.swap.max)");
            }
            // An update may change swap alone; the memory+swap total is then split against the
            // limit already in force.
            long effective = limit != null ? limit : dir.readLong(LIMIT_FIELD, "memory.max");
            dir.write(SWAP_FIELD, "memory.swap.max", swapMaxV2(swap, effective));
        }
        if (m.reservation() != null) {
            dir.write(FIELD + ".reservation", "memory.low", v2(m.reservation()));
        }
    }

    /**
     * memory.swap.max from OCI's memory+swap total: swap alone is the total minus the limit
     * (runc's ConvertMemorySwapToCgroupV2Value follows the same rule).
     */
    static String swapMaxV2(long memsw, long limit) {
        if (memsw < 0) {
            return "max";
        }
        if (limit < 0 || limit == CgroupStats.UNLIMITED) {
            throw new CgroupException(SWAP_FIELD, "a swap limit (" + memsw + ") needs a memory limit on cgroup v2");
        }
        if (memsw < limit) {
            throw new CgroupException(SWAP_FIELD, "memory+swap " + memsw + " is below the memory limit " + limit);
        }
        return Long.toString(memsw - limit);
    }

    private static void validateSwap(Long limit, Long swap) {
        if (limit != null && swap != null && limit >= 0 && swap >= 0 && swap < limit) {
            throw new CgroupException(SWAP_FIELD, "memory+swap " + swap + " must not be below the memory limit "
                    + limit + " (swap is the memory+swap total, as in cgroup v1)");
        }
    }

    private static void checkBeforeUpdate(CgroupDir dir, Spec.Memory m, String usageFile) {
        Long limit = set(m.limit());
        if (Boolean.TRUE.equals(m.checkBeforeUpdate()) && limit != null && limit >= 0) {
            long usage = dir.readLong(LIMIT_FIELD, usageFile);
            if (usage > limit) {
                throw new CgroupException(LIMIT_FIELD, "new limit " + limit + " is below current usage " + usage
                        + " (" + usageFile + ", checkBeforeUpdate)");
            }
        }
    }

    // ---- stats

    static CgroupStats.MemoryStats statsV1(CgroupDir dir) {
        String f = "stats";
        Map<String, Long> stat = dir.readKeyed(f, "memory.stat");
        long usage = dir.readLong(f, "memory.usage_in_bytes");
        long swap = dir.has("memory.memsw.usage_in_bytes")
                ? Math.max(0, dir.readLong(f, "memory.memsw.usage_in_bytes") - usage) : 0;
        return new CgroupStats.MemoryStats(usage, dir.readLong(f, "memory.max_usage_in_bytes"),
                unlimitedV1(dir.readLong(f, V1_LIMIT)),
                stat.getOrDefault("total_cache", stat.getOrDefault("cache", 0L)),
                stat.getOrDefault("total_rss", stat.getOrDefault("rss", 0L)),
                swap, dir.readLong(f, "memory.failcnt"), oomKillsV1(dir), stat);
    }

    static CgroupStats.MemoryStats statsV2(CgroupDir dir) {
        String f = "stats";
        Map<String, Long> stat = dir.readKeyed(f, "memory.stat");
        Map<String, Long> events = dir.readKeyed(f, "memory.events");
        return new CgroupStats.MemoryStats(dir.readLong(f, "memory.current"),
                dir.has("memory.peak") ? dir.readLong(f, "memory.peak") : 0,
                dir.readLong(f, "memory.max"),
                stat.getOrDefault("file", 0L), stat.getOrDefault("anon", 0L),
                dir.has("memory.swap.current") ? dir.readLong(f, "memory.swap.current") : 0,
                events.getOrDefault("max", 0L), events.getOrDefault("oom_kill", 0L), stat);
    }

    /** memory.oom_control's "oom_kill" line (Linux 4.13+), 0 on older kernels. */
    static long oomKillsV1(CgroupDir dir) {
        return dir.readKeyed("oomKillCount", "memory.oom_control").getOrDefault("oom_kill", 0L);
    }

    static long oomKillsV2(CgroupDir dir) {
        return dir.readKeyed("oomKillCount", "memory.events").getOrDefault("oom_kill", 0L);
    }

    /** v1 shows "no limit" as PAGE_COUNTER_MAX in bytes, rounded down to a page. */
    static long unlimitedV1(long v) {
        return v >= 0x7FFFFFFFFFFFF000L ? CgroupStats.UNLIMITED : v;
    }

    private static Long set(Long v) {
        return v == null || v == 0 ? null : v;
    }

    private static String v1(long v) {
        return v < 0 ? "-1" : Long.toString(v);
    }

    private static String v2(long v) {
        return v < 0 ? "max" : Long.toString(v);
    }
}
