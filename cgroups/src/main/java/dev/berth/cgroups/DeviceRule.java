package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

/**
 * One checked entry of linux.resources.devices, shared by the v1 writer and the v2 compiler.
 *
 * <p>Type "a" (or none) means every device, and then major, minor and access are ignored, as the
 * v1 kernel ignores them: "a" is its reset-the-default command
 * (Documentation/admin-guide/cgroup-v1/devices.rst, security/device_cgroup.c).
 *
 * @param type   'a', 'b' or 'c'
 * @param major  0..2^32-1, or {@link #ANY}
 * @param minor  0..2^32-1, or {@link #ANY}
 * @param access a set of {@link #MKNOD}, {@link #READ}, {@link #WRITE}; never empty
 */
record DeviceRule(boolean allow, char type, long major, long minor, int access) {
    static final long ANY = -1;
    /** The access bits of struct bpf_cgroup_dev_ctx (BPF_DEVCG_ACC_* in uapi/linux/bpf.h); v1 uses the same. */
    static final int MKNOD = 1, READ = 2, WRITE = 4, ALL_ACCESS = 7;
    /** Device numbers are u32 in both v1's parser (kstrtou32) and the BPF context. */
    private static final long MAX_NUMBER = 0xffff_ffffL;

    /** Checks {@code d}; errors name {@code field} (e.g. linux.resources.devices[2]) and the bad member. */
    static DeviceRule parse(String field, Spec.DeviceCgroup d) {
        if (d.allow() == null) {
            throw new CgroupException(field + ".allow", "is required");
        }
        String t = d.type() == null ? "a" : d.type();
        if (!t.equals("a") && !t.equals("b") && !t.equals("c")) {
            throw new CgroupException(field + ".type", "\"" + t + "\" is not a, b or c");
        }
        String a = d.access() == null || d.access().isEmpty() ? "rwm" : d.access();
        if (!a.matches("[rwm]{1,3}")) {
            throw new CgroupException(field + ".access", "\"" + a + "\" is not a combination of r, w and m");
        }
        int access = (a.indexOf('m') >= 0 ? MKNOD : 0) | (a.indexOf('r') >= 0 ? READ : 0) | (a.indexOf('w') >= 0 ? WRITE : 0);
        return new DeviceRule(d.allow(), t.charAt(0), number(field + ".major", d.major()),
                number(field + ".minor", d.minor()), access);
    }

    /** null and negative numbers are the wildcard "*", as runc reads them. */
    private static long number(String field, Long n) {
        if (n == null || n < 0) {
            return ANY;
        }
        if (n > MAX_NUMBER) {
            throw new CgroupException(field, n + " is larger than a device number can be (2^32-1)");
        }
        return n;
    }

    boolean allDevices() {
        return type == 'a';
    }

    /** The v1 devices.allow/devices.deny line: "c 1:3 rwm", "b *:* m", or "a" for all devices. */
    String v1() {
        if (allDevices()) {
            return "a";
        }
        String acc = ((access & READ) != 0 ? "r" : "") + ((access & WRITE) != 0 ? "w" : "") + ((access & MKNOD) != 0 ? "m" : "");
        return type + " " + star(major) + ":" + star(minor) + " " + acc;
    }

    private static String star(long n) {
        return n == ANY ? "*" : Long.toString(n);
    }
}
