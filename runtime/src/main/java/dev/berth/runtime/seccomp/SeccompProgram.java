package dev.berth.runtime.seccomp;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)}.
 *
 * @param filter           the raw {@code struct sock_filter} array, little endian, 8 bytes per
 *                         instruction: u16 code, u8 jt, u8 jf, u32 k
 * @param instructionCount {@code filter.length / 8}, the {@code sock_fprog.len} to pass
 * @param flags            {@code SECCOMP_FILTER_FLAG_*} bits from {@code linux.seccomp.flags}
 */
public record SeccompProgram(byte[] filter, int instructionCount, int flags) {
}
