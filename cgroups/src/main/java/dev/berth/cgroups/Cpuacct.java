package dev.berth.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CPU accounting on v1 (Documentation/admin-guide/cgroup-v1/cpuacct.rst). It sets nothing, so it
 * is no {@link Controller}; the v1 manager reads usage here and throttling from {@link Cpu}, which
 * may be a different hierarchy (it is on this project's CI host).
 */
final class Cpuacct {
    /** USER_HZ, the unit of cpuacct.stat: 100 on every Linux architecture that has v1. */
    private static final long NS_PER_USER_HZ = 1_000_000_000L / 100;

    private Cpuacct() {}

    static CgroupStats.CpuStats usageV1(CgroupDir dir) {
        String f = "stats";
        long total = dir.readLong(f, "cpuacct.usage");
        long user;
        long sys;
        if (dir.has("cpuacct.usage_user") && dir.has("cpuacct.usage_sys")) {
            user = dir.readLong(f, "cpuacct.usage_user");
            sys = dir.readLong(f, "cpuacct.usage_sys");
        } else {
            // Before 4.7 only cpuacct.stat existed, in USER_HZ ticks.
            Map<String, Long> s = dir.readKeyed(f, "cpuacct.stat");
            user = s.getOrDefault("user", 0L) * NS_PER_USER_HZ;
            sys = s.getOrDefault("system", 0L) * NS_PER_USER_HZ;
        }
        List<Long> perCpu = new ArrayList<>();
        if (dir.has("cpuacct.usage_percpu")) {
            for (String v : dir.read(f, "cpuacct.usage_percpu").split("\\s+")) {
                if (!v.isEmpty()) perCpu.add(CgroupDir.parseLong(f, "cpuacct.usage_percpu", v));
            }
        }
        return new CgroupStats.CpuStats(total, user, sys, perCpu, 0, 0, 0);
    }
}
