package dev.berth.runtime;

import dev.berth.oci.runtime.Spec;
import java.util.ArrayList;
import java.util.List;

/**
 * The device cgroup rules a container gets: config.json's own, then allow rules for the devices
 * every container has (the ones the runtime creates in /dev, the ptys, and linux.devices), as
 * runc appends its AllowedDevices. Without them a config that starts with "deny all" (as
 * `runc spec` writes) could not even open /dev/null.
 */
final class DeviceRules {
    private static final List<Spec.DeviceCgroup> ALWAYS_ALLOWED = List.of(
            allow("c", 1L, 3L), allow("c", 1L, 5L), allow("c", 1L, 7L), allow("c", 1L, 8L), allow("c", 1L, 9L),
            allow("c", 5L, 0L), allow("c", 5L, 1L), allow("c", 5L, 2L), allow("c", 136L, null));

    private DeviceRules() {}

    static Spec.Resources effective(Spec.Linux linux) {
        Spec.Resources r = linux == null ? null : linux.resources();
        if (r == null || r.devices() == null || r.devices().isEmpty()) {
            return r;
        }
        List<Spec.DeviceCgroup> rules = new ArrayList<>(r.devices());
        rules.addAll(ALWAYS_ALLOWED);
        if (linux.devices() != null) {
            for (Spec.Device d : linux.devices()) {
                rules.add(new Spec.DeviceCgroup(true, "u".equals(d.type()) ? "c" : d.type(), d.major(), d.minor(), "rwm"));
            }
        }
        return new Spec.Resources(rules, r.memory(), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(), r.network(),
                r.rdma(), r.unified());
    }

    private static Spec.DeviceCgroup allow(String type, Long major, Long minor) {
        return new Spec.DeviceCgroup(true, type, major, minor, "rwm");
    }
}
