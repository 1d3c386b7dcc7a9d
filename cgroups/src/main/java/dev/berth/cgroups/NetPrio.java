package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.List;

/**
 * linux.resources.network.priorities: one "IFACE PRIO" write per entry to net_prio.ifpriomap
 * (Documentation/admin-guide/cgroup-v1/net_prio.rst). v1 only, like {@link NetCls}.
 */
final class NetPrio implements Controller {
    static final String FIELD = "linux.resources.network.priorities";

    @Override public String v1Name() { return "net_prio"; }
    @Override public String v2Name() { return null; }
    @Override public String field() { return FIELD; }

    @Override
    public boolean requested(Spec.Resources r) {
        return r.network() != null && r.network().priorities() != null && !r.network().priorities().isEmpty();
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        List<Spec.Priority> ps = r.network().priorities();
        for (int i = 0; i < ps.size(); i++) {
            Spec.Priority p = ps.get(i);
            String field = FIELD + "[" + i + "]";
            if (p.name() == null || p.name().isBlank() || p.name().contains(" ") || p.priority() == null) {
                throw new CgroupException(field, "needs an interface name and a priority");
            }
            dir.write(field, "net_prio.ifpriomap", p.name() + " " + p.priority());
        }
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        throw new CgroupException(FIELD, "net_prio is a cgroup v1 controller; cgroup v2 has no equivalent file");
    }
}
