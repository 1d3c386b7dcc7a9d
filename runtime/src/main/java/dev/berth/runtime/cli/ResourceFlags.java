package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import java.util.function.Consumer;

/**
 * What `update` asks for, as a {@link Spec.Resources} whose null fields mean "leave as it is".
 *
 * <p>runc's update treats 0 (and "") in the fields its help text shows as "unchanged": its flags
 * default to 0 and its documented -r template is full of zeros. Those zeros are turned into nulls
 * here, for flags and files alike, so that a template copied from `runc update --help` does not,
 * say, lift the pids limit (0 would mean "max") or set a soft limit of 0 bytes.
 */
final class ResourceFlags {
    static final String BLKIO_WEIGHT = "blkio-weight";
    static final String CPU_PERIOD = "cpu-period";
    static final String CPU_QUOTA = "cpu-quota";
    static final String CPU_SHARE = "cpu-share";
    static final String CPU_RT_PERIOD = "cpu-rt-period";
    static final String CPU_RT_RUNTIME = "cpu-rt-runtime";
    static final String CPUSET_CPUS = "cpuset-cpus";
    static final String CPUSET_MEMS = "cpuset-mems";
    static final String MEMORY = "memory";
    static final String MEMORY_RESERVATION = "memory-reservation";
    static final String MEMORY_SWAP = "memory-swap";
    static final String PIDS_LIMIT = "pids-limit";

    private ResourceFlags() {}

    /** The resources named by update's flags; a bad value is a {@link UsageException} naming the flag. */
    static Spec.Resources fromFlags(Args args) {
        Spec.Memory memory = new Spec.Memory(bytes(args, MEMORY), bytes(args, MEMORY_RESERVATION),
                bytes(args, MEMORY_SWAP), null, null, null, null, null, null);
        Spec.Cpu cpu = new Spec.Cpu(unsigned(args, CPU_SHARE), signed(args, CPU_QUOTA), null, unsigned(args, CPU_PERIOD),
                signed(args, CPU_RT_RUNTIME), unsigned(args, CPU_RT_PERIOD), args.value(CPUSET_CPUS, null),
                args.value(CPUSET_MEMS, null), null);
        Spec.BlockIO blockIO = new Spec.BlockIO(blkioWeight(args), null, null, null, null, null, null);
        Long pids = signed(args, PIDS_LIMIT);
        // Negative means unlimited to runc; -1 is what the cgroups layer writes as "max".
        Spec.Pids pidsLimit = new Spec.Pids(pids == null ? null : pids < 0 ? -1L : pids);
        return unchangedAsNull(new Spec.Resources(null, memory, cpu, pidsLimit, blockIO, null, null, null, null));
    }

    /**
     * The resources in an `update -r` document (the linux.resources object of config.json).
     * Device rules are dropped with a warning: runc's update ignores them too, and a partial list
     * applied on its own would replace the container's whole device allowlist.
     */
    static Spec.Resources fromJson(String json, String source, Consumer<String> warn) {
        Spec.Resources r;
        try {
            r = Json.parse(json, Spec.Resources.class);
        } catch (SpecException e) {
            throw new UsageException("invalid resources in " + source + ": " + e.getMessage());
        }
        if (r == null) {
            throw new UsageException("invalid resources in " + source + ": expected a JSON object");
        }
        if (r.devices() != null && !r.devices().isEmpty()) {
            warn.accept("update ignores \"devices\" in " + source + ": device rules are only set at create");
        }
        return unchangedAsNull(new Spec.Resources(null, r.memory(), r.cpu(), r.pids(), r.blockIO(), r.hugepageLimits(),
                r.network(), r.rdma(), r.unified()));
    }

    /** Nulls the zeros (and empty strings) that runc's update reads as "unchanged"; see the class comment. */
    static Spec.Resources unchangedAsNull(Spec.Resources r) {
        Spec.Memory m = r.memory();
        if (m != null) {
            m = new Spec.Memory(nonZero(m.limit()), nonZero(m.reservation()), nonZero(m.swap()), m.kernel(), m.kernelTCP(),
                    m.swappiness(), m.disableOOMKiller(), m.useHierarchy(), m.checkBeforeUpdate());
        }
        Spec.Cpu c = r.cpu();
        if (c != null) {
            c = new Spec.Cpu(nonZero(c.shares()), nonZero(c.quota()), c.burst(), nonZero(c.period()),
                    nonZero(c.realtimeRuntime()), nonZero(c.realtimePeriod()), nonEmpty(c.cpus()), nonEmpty(c.mems()), c.idle());
        }
        Spec.BlockIO b = r.blockIO();
        if (b != null) {
            b = new Spec.BlockIO(b.weight() == null || b.weight() == 0 ? null : b.weight(), b.leafWeight(), b.weightDevice(),
                    b.throttleReadBpsDevice(), b.throttleWriteBpsDevice(), b.throttleReadIOPSDevice(), b.throttleWriteIOPSDevice());
        }
        Spec.Pids p = r.pids() == null ? null : new Spec.Pids(nonZero(r.pids().limit()));
        return new Spec.Resources(r.devices(), m, c, p, b, r.hugepageLimits(), r.network(), r.rdma(), r.unified());
    }

    /** A memory flag: docker's size units, or -1 for unlimited. */
    private static Long bytes(Args args, String flag) {
        String v = args.value(flag, null);
        if (v == null || v.equals("-1")) {
            return v == null ? null : -1L;
        }
        try {
            return RamSize.parse(v);
        } catch (IllegalArgumentException e) {
            throw invalid(flag, e.getMessage());
        }
    }

    private static Long signed(Args args, String flag) {
        String v = args.value(flag, null);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(flag, "\"" + v + "\" is not an integer");
        }
    }

    private static Long unsigned(Args args, String flag) {
        String v = args.value(flag, null);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw invalid(flag, "\"" + v + "\" is negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalid(flag, "\"" + v + "\" is not an unsigned integer");
        }
    }

    private static Integer blkioWeight(Args args) {
        Long w = signed(args, BLKIO_WEIGHT);
        if (w == null || w == 0) {
            return null;
        }
        // The range runc's help gives (blkio-controller.rst, blkio.weight); checked here so the
        // message names the flag rather than the cgroup file the kernel refused.
        if (w < 10 || w > 1000) {
            throw invalid(BLKIO_WEIGHT, w + " is out of range (10 to 1000)");
        }
        return w.intValue();
    }

    private static UsageException invalid(String flag, String why) {
        return new UsageException("invalid value for " + flag + ": " + why);
    }

    private static Long nonZero(Long v) {
        return v == null || v == 0 ? null : v;
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
