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
 * the cgroup (cgroup-v2.rst, "Device controller"), and Berth does not build or attach one yet.
 * A v2 cgroup without a program allows every device, so:
 * <ul>
 * <li>rules whose net effect is "allow everything" (none, or a final allow-all followed only by
 *     allows) are accepted: that is already the kernel's behaviour;
 * <li>any rule that would restrict access is refused with a CgroupException. Silently dropping
 *     it would hand containers (which usually hold CAP_MKNOD) the host's block devices, so
 *     refusing is the only safe answer until the eBPF program exists.
 * </ul>
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
            Spec.DeviceCgroup d = rules.get(i);
            if (d.allow() == null) {
                throw new CgroupException(field + ".allow", "is required");
            }
            out.add(new CgroupDir.Write(field, d.allow() ? "devices.allow" : "devices.deny", rule(field, d)));
        }
        return out;
    }

    /** "c 1:3 rwm", "b *:* m", or "a" for all devices. */
    static String rule(String field, Spec.DeviceCgroup d) {
        String type = d.type() == null ? "a" : d.type();
        if (type.equals("a")) {
            return "a";
        }
        if (!type.equals("b") && !type.equals("c")) {
            throw new CgroupException(field + ".type", "\"" + type + "\" is not a, b or c");
        }
        String access = d.access() == null || d.access().isEmpty() ? "rwm" : d.access();
        if (!access.matches("[rwm]{1,3}")) {
            throw new CgroupException(field + ".access", "\"" + access + "\" is not a combination of r, w and m");
        }
        return type + " " + number(d.major()) + ":" + number(d.minor()) + " " + access;
    }

    private static String number(Long n) {
        return n == null || n < 0 ? "*" : Long.toString(n);
    }

    @Override
    public void applyV2(CgroupDir dir, Spec.Resources r) {
        if (!unrestricted(r.devices())) {
            throw new CgroupException(FIELD, "device rules are not enforced on cgroup v2 yet (they need an eBPF"
                    + " BPF_PROG_TYPE_CGROUP_DEVICE program, which Berth does not load); refusing rather than"
                    + " running the container with every device allowed");
        }
    }

    /** Whether the rules, applied in order from the kernel's default, leave every device allowed. */
    static boolean unrestricted(List<Spec.DeviceCgroup> rules) {
        boolean allowAll = true; // the default of a v2 cgroup with no device program
        for (Spec.DeviceCgroup d : rules) {
            boolean all = d.type() == null || d.type().equals("a");
            boolean allow = Boolean.TRUE.equals(d.allow());
            if (all) {
                allowAll = allow;
            } else if (!allow) {
                allowAll = false; // an exception to allow-all denies something
            }
        }
        return allowAll;
    }
}
