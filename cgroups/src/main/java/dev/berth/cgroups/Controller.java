package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.List;

/**
 * A resource controller: the config fields it owns and how they become interface files, once for
 * v1 and once for v2. Controllers are stateless; the managers decide which directory (and so
 * which file dialect) each one gets, which lets a hybrid host send hugetlb to the v2 mount while
 * memory stays in v1.
 */
sealed interface Controller permits Cpuset, Devices, Memory, Cpu, Pids, Blkio, Hugetlb, NetCls, NetPrio {

    /**
     * Every controller, in the order limits are written. cpuset comes first because a v1 cgroup
     * without cpus/mems can hold no task, and devices before memory as runc does, so that a
     * container never runs a moment with wider device access than asked.
     */
    List<Controller> ALL = List.of(new Cpuset(), new Devices(), new Memory(), new Cpu(), new Pids(),
            new Blkio(), new Hugetlb(), new NetCls(), new NetPrio());

    /** The v1 controller (mount option and /proc/self/cgroup name). */
    String v1Name();

    /** The v2 controller as listed in cgroup.controllers, or null when v2 has none. */
    String v2Name();

    /** The config section this controller serves, for "not available" errors. */
    String field();

    /** Whether {@code r} asks this controller to write anything. */
    boolean requested(Spec.Resources r);

    void applyV1(CgroupDir dir, Spec.Resources r);

    void applyV2(CgroupDir dir, Spec.Resources r);
}
