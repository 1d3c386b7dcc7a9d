package dev.berth.runtime.seccomp;

/**
 * Offsets in {@code struct seccomp_data} (include/uapi/linux/seccomp.h), the packet a seccomp
 * filter reads: {@code int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];}.
 * Every ABI we support is little endian, so the low word of an argument comes first.
 */
final class SeccompData {
    static final int NR = 0;
    static final int ARCH = 4;
    private static final int ARGS = 16;

    private SeccompData() {
    }

    static int argLow(int index) {
        return ARGS + 8 * index;
    }

    static int argHigh(int index) {
        return argLow(index) + 4;
    }
}
