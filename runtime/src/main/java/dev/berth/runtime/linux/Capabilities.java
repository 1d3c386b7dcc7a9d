package dev.berth.runtime.linux;

import dev.berth.oci.runtime.SpecException;
import java.util.List;

/** Capability names (capabilities(7)) to their numbers, and sets as 64-bit masks. */
public final class Capabilities {
    public static final List<String> NAMES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private Capabilities() {}

    /** Number of a capability name; names unknown to this list are an error naming the field. */
    public static int number(String name, String field) {
        String upper = name.toUpperCase();
        int i = NAMES.indexOf(upper.startsWith("CAP_") ? upper : "CAP_" + upper);
        if (i < 0) {
            throw new SpecException(field + ": unknown capability \"" + name + "\"");
        }
        return i;
    }

    /**
     * The mask of a set. Capabilities beyond the running kernel's last one are left out, as runc
     * does ("unknown or unavailable capabilities" are ignored with a warning there).
     */
    public static long mask(List<String> names, String field, int lastCap) {
        long mask = 0;
        if (names != null) {
            for (int i = 0; i < names.size(); i++) {
                int n = number(names.get(i), field + "[" + i + "]");
                if (n <= lastCap) {
                    mask |= 1L << n;
                }
            }
        }
        return mask;
    }

    /** /proc/sys/kernel/cap_last_cap of this kernel. */
    public static int lastCap() {
        try {
            return Integer.parseInt(dev.berth.sys.KernelFiles.read(java.nio.file.Path.of("/proc/sys/kernel/cap_last_cap")).trim());
        } catch (java.io.IOException | NumberFormatException e) {
            return NAMES.size() - 1;
        }
    }
}
