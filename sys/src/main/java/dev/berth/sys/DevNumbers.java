package dev.berth.sys;

/**
 * dev_t encoding as glibc's makedev(3) and the kernel's new_encode_dev do it: 12 bits of major
 * and 20 of minor in the low 32 bits, the rest above (include/linux/kdev_t.h).
 */
public final class DevNumbers {
    private DevNumbers() {}

    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    public static int major(long dev) {
        return (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
    }

    public static int minor(long dev) {
        return (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
    }
}
