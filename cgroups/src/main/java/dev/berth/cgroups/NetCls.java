package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

/**
 * linux.resources.network.classID: net_cls.classid (Documentation/admin-guide/cgroup-v1/net_cls.rst),
 * the tc class id stamped on the group's packets. v1 only: v2 replaced it with matching sockets
 * by cgroup path in nftables/BPF, so on v2 it is an error.
 */
final class NetCls implements Controller {
    static final String FIELD = "linux.resources.network.classID";

    @Override public String v1Name() { return "net_cls"; }
    @Override public String v2Name() { return null; }
    @Override public String field() { return FIELD; }

    @Override
    public boolean requested(Spec.Resources r) {
        return r.network() != null && r.network().classID() != null;
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        dir.write(FIELD, "net_cls.classid", Long.toString(r.network().classID()));
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        throw new CgroupException(FIELD, "net_cls is a cgroup v1 controller; cgroup v2 has no equivalent file");
    }
}
