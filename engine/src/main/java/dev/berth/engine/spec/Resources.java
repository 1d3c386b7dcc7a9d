package dev.berth.engine.spec;

import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Spec;
import java.util.ArrayList;
import java.util.List;

/** HostConfig's resource fields as linux.resources, with docker's conversions. */
final class Resources {
    private Resources() {}

    static Spec.Resources of(HostConfig h, boolean privileged) {
        return new Spec.Resources(deviceRules(h, privileged), memory(h), cpu(h), pids(h), blkio(h), null, null, null, null);
    }

    /** The limits alone, for docker update: device rules do not change after create. */
    static Spec.Resources limits(HostConfig h) {
        return new Spec.Resources(null, memory(h), cpu(h), pids(h), blkio(h), null, null, null, null);
    }

    /** Deny everything but what the container was given (the runtime adds the standard nodes); privileged: allow all. */
    private static List<Spec.DeviceCgroup> deviceRules(HostConfig h, boolean privileged) {
        List<Spec.DeviceCgroup> rules = new ArrayList<>();
        rules.add(new Spec.DeviceCgroup(privileged, "a", null, null, "rwm"));
        if (!privileged && h.devices() != null) {
            for (HostConfig.DeviceMapping d : h.devices()) {
                Spec.Device node = DeviceNodes.describe(d);
                String access = d.cgroupPermissions() == null || d.cgroupPermissions().isEmpty() ? "rwm" : d.cgroupPermissions();
                rules.add(new Spec.DeviceCgroup(true, node.type(), node.major(), node.minor(), access));
            }
        }
        return rules;
    }

    /**
     * docker's swap rule: MemorySwap is memory plus swap; -1 is unlimited; unset with a memory
     * limit means as much swap as memory (twice the limit in total).
     */
    private static Spec.Memory memory(HostConfig h) {
        Long limit = positive(h.memory());
        Long swap = h.memorySwap() == null || h.memorySwap() == 0
                ? (limit == null ? null : 2 * limit)
                : h.memorySwap();
        if (limit == null && positive(h.memoryReservation()) == null && !Boolean.TRUE.equals(h.oomKillDisable())) {
            return null;
        }
        return new Spec.Memory(limit, positive(h.memoryReservation()), limit == null ? null : swap, null, null, null,
                Boolean.TRUE.equals(h.oomKillDisable()) ? true : null, null, null);
    }

    private static Spec.Cpu cpu(HostConfig h) {
        Long quota = positive(h.cpuQuota());
        Long period = positive(h.cpuPeriod());
        if (positive(h.nanoCpus()) != null) {
            period = DockerDefaults.CPU_PERIOD_US;
            quota = h.nanoCpus() * DockerDefaults.CPU_PERIOD_US / 1_000_000_000L;
        }
        if (quota == null && period == null && positive(h.cpuShares()) == null && h.cpusetCpus() == null && h.cpusetMems() == null) {
            return null;
        }
        return new Spec.Cpu(positive(h.cpuShares()), quota, null, period, null, null, empty(h.cpusetCpus()), empty(h.cpusetMems()), null);
    }

    private static Spec.Pids pids(HostConfig h) {
        return h.pidsLimit() == null || h.pidsLimit() == 0 ? null : new Spec.Pids(h.pidsLimit() < 0 ? -1 : h.pidsLimit());
    }

    /** BlkioWeight and the per-device read/write rate limits (--device-read-bps, --device-write-bps). */
    private static Spec.BlockIO blkio(HostConfig h) {
        Integer weight = h.blkioWeight() == null || h.blkioWeight() == 0 ? null : h.blkioWeight();
        List<Spec.ThrottleDevice> read = throttles(h.blkioDeviceReadBps());
        List<Spec.ThrottleDevice> write = throttles(h.blkioDeviceWriteBps());
        if (weight == null && read == null && write == null) {
            return null;
        }
        return new Spec.BlockIO(weight, null, null, read, write, null, null);
    }

    private static List<Spec.ThrottleDevice> throttles(List<HostConfig.ThrottleDevice> given) {
        return given == null || given.isEmpty() ? null : given.stream().map(DeviceNodes::throttle).toList();
    }

    private static Long positive(Long v) {
        return v == null || v <= 0 ? null : v;
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
