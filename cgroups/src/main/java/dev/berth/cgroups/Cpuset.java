package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

/**
 * linux.resources.cpu.cpus and .mems: cpuset.cpus and cpuset.mems, the same names on v1
 * (Documentation/admin-guide/cgroup-v1/cpusets.rst) and v2 (cgroup-v2.rst, "Cpuset").
 *
 * <p>v1 quirk: a new cpuset cgroup starts with both files empty (unless the parent has
 * cgroup.clone_children set) and no task may join it until they are filled (cpusets.rst 1.9:
 * "a cpuset must have cpus and mems set before tasks can be attached"). {@link #inheritV1} fills
 * each new directory from its parent at create time. On v2 empty means "use the parent's".
 */
final class Cpuset implements Controller {
    static final String CPUS_FIELD = "linux.resources.cpu.cpus";
    static final String MEMS_FIELD = "linux.resources.cpu.mems";

    @Override public String v1Name() { return "cpuset"; }
    @Override public String v2Name() { return "cpuset"; }
    @Override public String field() { return "linux.resources.cpu"; }

    @Override
    public boolean requested(Spec.Resources r) {
        return r.cpu() != null && (given(r.cpu().cpus()) || given(r.cpu().mems()));
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        write(dir, r.cpu());
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        write(dir, r.cpu());
    }

    private static void write(CgroupDir dir, Spec.Cpu c) {
        // An empty string would leave a v1 cgroup unable to hold tasks (and on v2 means "inherit"):
        // treat it as "not set", which is what a config saying "" means.
        if (given(c.cpus())) {
            dir.write(CPUS_FIELD, "cpuset.cpus", c.cpus().strip());
        }
        if (given(c.mems())) {
            dir.write(MEMS_FIELD, "cpuset.mems", c.mems().strip());
        }
    }

    private static boolean given(String s) {
        return s != null && !s.isBlank();
    }

    /** Copies cpuset.cpus and cpuset.mems from {@code parent} into {@code child} where the child's is empty. */
    static void inheritV1(CgroupDir parent, CgroupDir child) {
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            String field = file.equals("cpuset.cpus") ? CPUS_FIELD : MEMS_FIELD;
            if (child.read(field, file).isEmpty()) {
                child.write(field, file, parent.read(field, file));
            }
        }
    }
}
