package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.List;
import java.util.Map;

/**
 * linux.resources.cpu, except cpus/mems which belong to {@link Cpuset}.
 *
 * <p>v1 (Documentation/scheduler/sched-bwc.rst, sched-rt-group.rst): cpu.shares,
 * cpu.cfs_quota_us/cpu.cfs_period_us, cpu.cfs_burst_us, cpu.rt_runtime_us/cpu.rt_period_us,
 * cpu.idle.
 *
 * <p>v2 (cgroup-v2.rst, "CPU"): cpu.weight from shares, cpu.max "$QUOTA $PERIOD", cpu.max.burst,
 * cpu.idle. v2 has no real-time group scheduling, so a non-zero realtime field is an error.
 *
 * <p>As runc reads the fields, 0 in shares, quota or period means "not set"; -1 quota is
 * unlimited.
 */
final class Cpu implements Controller {
    static final String FIELD = "linux.resources.cpu";

    @Override public String v1Name() { return "cpu"; }
    @Override public String v2Name() { return "cpu"; }
    @Override public String field() { return FIELD; }

    @Override
    public boolean requested(Spec.Resources r) {
        Spec.Cpu c = r.cpu();
        return c != null && (set(c.shares()) != null || set(c.quota()) != null || set(c.period()) != null
                || c.burst() != null || c.realtimeRuntime() != null || c.realtimePeriod() != null
                || c.idle() != null);
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        Spec.Cpu c = r.cpu();
        Long shares = set(c.shares());
        if (shares != null) {
            dir.write(FIELD + ".shares", "cpu.shares", Long.toString(shares));
            // The kernel clamps shares to [2, 262144] silently (sched_group_set_shares); say so
            // instead of leaving a different value than config.json asked for.
            long got = dir.readLong(FIELD + ".shares", "cpu.shares");
            if (got != shares) {
                throw new CgroupException(FIELD + ".shares", "the kernel set cpu.shares to " + got + " instead of "
                        + shares + " (allowed range is 2 to 262144)");
            }
        }
        Long quota = set(c.quota());
        Long period = set(c.period());
        writePair(dir,
                period == null ? null : new CgroupDir.Write(FIELD + ".period", "cpu.cfs_period_us", Long.toString(period)),
                quota == null ? null : new CgroupDir.Write(FIELD + ".quota", "cpu.cfs_quota_us", quota < 0 ? "-1" : Long.toString(quota)));
        if (c.burst() != null) {
            dir.write(FIELD + ".burst", "cpu.cfs_burst_us", Long.toString(c.burst()));
        }
        writePair(dir,
                c.realtimePeriod() == null ? null : new CgroupDir.Write(FIELD + ".realtimePeriod", "cpu.rt_period_us", Long.toString(c.realtimePeriod())),
                c.realtimeRuntime() == null ? null : new CgroupDir.Write(FIELD + ".realtimeRuntime", "cpu.rt_runtime_us", Long.toString(c.realtimeRuntime())));
        writeIdle(dir, c);
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        Spec.Cpu c = r.cpu();
        if (nonZero(c.realtimeRuntime()) || nonZero(c.realtimePeriod())) {
            throw new CgroupException(FIELD + (nonZero(c.realtimeRuntime()) ? ".realtimeRuntime" : ".realtimePeriod"),
                    "not supported on cgroup v2, which has no real-time group scheduling");
        }
        Long shares = set(c.shares());
        if (shares != null) {
            dir.write(FIELD + ".shares", "cpu.weight", Long.toString(sharesToWeight(shares)));
        }
        Long quota = set(c.quota());
        Long period = set(c.period());
        if (quota != null || period != null) {
            String field = FIELD + (quota != null ? ".quota" : ".period");
            dir.write(field, "cpu.max", cpuMax(dir.read(field, "cpu.max"), quota, period));
        }
        if (c.burst() != null) {
            dir.write(FIELD + ".burst", "cpu.max.burst", Long.toString(c.burst()));
        }
        writeIdle(dir, c);
    }

    /**
     * cpu.weight (1..10000, default 100) from cpu.shares (2..262144, default 1024) by the linear
     * map runc and crun use, so that a config means the same under every runtime:
     * {@code 1 + (shares - 2) * 9999 / 262142}.
     */
    static long sharesToWeight(long shares) {
        long s = Math.clamp(shares, 2, 262144);
        return 1 + ((s - 2) * 9999) / 262142;
    }

    /**
     * The new cpu.max from the current one: fields not given keep their current value, because
     * writing "max" alone would lift a quota an update did not mention.
     */
    static String cpuMax(String current, Long quota, Long period) {
        String[] cur = current.trim().split("\\s+");
        String q = quota == null ? cur[0] : quota < 0 ? "max" : Long.toString(quota);
        String p = period == null ? (cur.length > 1 ? cur[1] : "100000") : Long.toString(period);
        return q + " " + p;
    }

    /**
     * Writes a period and its budget. The kernel checks the budget/period ratio against the
     * parent's (and runtime <= period for RT) after each write, so whether the period or the
     * budget must go first depends on old and new values; try period first, and on failure the
     * other order, as runc does for CFS.
     */
    private static void writePair(CgroupDir dir, CgroupDir.Write period, CgroupDir.Write budget) {
        if (period == null || budget == null) {
            if (period != null) dir.write(period);
            if (budget != null) dir.write(budget);
            return;
        }
        try {
            dir.write(period);
            dir.write(budget);
        } catch (CgroupException first) {
            try {
                dir.write(budget);
                dir.write(period);
            } catch (CgroupException second) {
                first.addSuppressed(second);
                throw first;
            }
        }
    }

    private static void writeIdle(CgroupDir dir, Spec.Cpu c) {
        if (c.idle() == null) {
            return;
        }
        if (!dir.has("cpu.idle")) {
            throw new CgroupException(FIELD + ".idle", "this kernel has no cpu.idle (SCHED_IDLE groups need Linux 5.15)");
        }
        dir.write(FIELD + ".idle", "cpu.idle", Long.toString(c.idle()));
    }

    // ---- stats

    /** v1 throttling from cpu.stat (sched-bwc.rst, "Statistics"); throttled_time is in ns. */
    static CgroupStats.CpuStats throttlingV1(CgroupDir dir, CgroupStats.CpuStats usage) {
        Map<String, Long> s = dir.readKeyed("stats", "cpu.stat");
        return new CgroupStats.CpuStats(usage.usageTotalNs(), usage.usageUserNs(), usage.usageSystemNs(),
                usage.perCpuNs(), s.getOrDefault("nr_periods", 0L), s.getOrDefault("nr_throttled", 0L),
                s.getOrDefault("throttled_time", 0L));
    }

    /** v2 cpu.stat is in microseconds and carries usage and throttling together. */
    static CgroupStats.CpuStats statsV2(CgroupDir dir) {
        Map<String, Long> s = dir.readKeyed("stats", "cpu.stat");
        return new CgroupStats.CpuStats(s.getOrDefault("usage_usec", 0L) * 1000,
                s.getOrDefault("user_usec", 0L) * 1000, s.getOrDefault("system_usec", 0L) * 1000, List.of(),
                s.getOrDefault("nr_periods", 0L), s.getOrDefault("nr_throttled", 0L),
                s.getOrDefault("throttled_usec", 0L) * 1000);
    }

    private static boolean nonZero(Long v) {
        return v != null && v != 0;
    }

    private static Long set(Long v) {
        return v == null || v == 0 ? null : v;
    }
}
