package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

/**
 * linux.resources.pids.limit: pids.max on v1 (Documentation/admin-guide/cgroup-v1/pids.rst) and
 * v2 alike. The kernel takes a positive number or "max" and refuses -1 with EINVAL, so 0 and
 * negative values, which the runtime spec and docker use for "unlimited", become "max".
 */
final class Pids implements Controller {
    static final String FIELD = "linux.resources.pids.limit";

    @Override public String v1Name() { return "pids"; }
    @Override public String v2Name() { return "pids"; }
    @Override public String field() { return "linux.resources.pids"; }

    @Override
    public boolean requested(Spec.Resources r) {
        return r.pids() != null && r.pids().limit() != null;
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        dir.write(FIELD, "pids.max", value(r.pids().limit()));
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        dir.write(FIELD, "pids.max", value(r.pids().limit()));
    }

    static String value(long limit) {
        return limit <= 0 ? "max" : Long.toString(limit);
    }

    static CgroupStats.PidsStats stats(CgroupDir dir) {
        return new CgroupStats.PidsStats(dir.readLong("stats", "pids.current"), dir.readLong("stats", "pids.max"));
    }
}
