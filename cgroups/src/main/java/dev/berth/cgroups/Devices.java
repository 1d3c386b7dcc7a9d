package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * linux.resources.devices.
 *
 * <p>v1 (Documentation/admin-guide/cgroup-v1/devices.rst): each rule is one write of
 * "TYPE MAJOR:MINOR ACCESS" to devices.allow or devices.deny, in config order. A rule of type
 * "a" (all devices) is written as a bare "a", which resets the cgroup's default to deny (or
 * allow) and drops every exception, so a list that starts with deny-all, as every docker and
 * runc config does, first closes everything and then opens what follows.
 *
 * <p>v2 has no device files: the kernel asks a BPF_PROG_TYPE_CGROUP_DEVICE program attached to
 * the cgroup (cgroup-v2.rst, "Device controller"). The list is compiled into one
 * ({@link DeviceFilter}, which says how its meaning matches v1's) and attached in place of the
 * previous one ({@link BpfDeviceFilterInstaller}). The program needs no controller, so v2Name is
 * null and nothing has to be enabled in cgroup.subtree_control.
 */
final class Devices implements Controller {
    static final String FIELD = "linux.resources.devices";

    @Override public String v1Name() { return "devices"; }
    @Override public String v2Name() { return null; }
    @Override public String field() { return FIELD; }

    @Override
    public boolean requested(Spec.Resources r) {
        return r.devices() != null && !r.devices().isEmpty();
    }

    @Override
    public void applyV1(CgroupDir dir, Spec.Resources r) {
        planV1(r.devices()).forEach(dir::write);
    }

    /** The writes for {@code rules}, one per rule, in config order. */
    static List<CgroupDir.Write> planV1(List<Spec.DeviceCgroup> rules) {
        List<CgroupDir.Write> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String field = FIELD + "[" + i + "]";
            DeviceRule d = DeviceRule.parse(field, rules.get(i));
            out.add(new CgroupDir.Write(field, d.allow() ? "devices.allow" : "devices.deny", d.v1()));
        }
        return out;
    }

    /** "c 1:3 rwm", "b *:* m", or "a" for all devices. */
    static String rule(String field, Spec.DeviceCgroup d) {
        return DeviceRule.parse(field, d).v1();
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        applyV2(dir, r, BpfDeviceFilterInstaller.INSTANCE);
    }

    /** As {@link #applyV2(CgroupDir, Spec.Resources)} through {@code installer} (fakes in tests). */
    void applyV2(CgroupDir dir, Spec.Resources r, DeviceFilterInstaller installer) {
        // Compile first: a bad rule fails before anything in the kernel changes.
        installer.install(dir.path(), DeviceFilter.compile(r.devices()));
    }
}
