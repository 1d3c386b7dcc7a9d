package dev.berth.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A small classic-BPF machine for tests: runs a filter on a {@code struct seccomp_data} the way
 * the kernel does, after the checks the kernel makes when the filter is loaded
 * (bpf_check_classic in net/core/filter.c, seccomp_check_filter in kernel/seccomp.c), so that a
 * program that passes here would also be accepted by seccomp(2).
 */
final class BpfInterpreter {
    private static final int MAXINSNS = 4096;
    private static final int SECCOMP_DATA_SIZE = 64;
    private static final int MEMWORDS = 16;

    private BpfInterpreter() {
    }

    /** The filter's result for one call: SECCOMP_RET_* | data. */
    static int run(byte[] filter, int arch, int nr, long... args) {
        int[][] prog = verify(filter);
        ByteBuffer data = ByteBuffer.allocate(SECCOMP_DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(0, nr).putInt(4, arch).putLong(8, 0x7f00_0000_1000L);
        for (int i = 0; i < args.length; i++) {
            data.putLong(16 + 8 * i, args[i]);
        }
        int a = 0;
        int x = 0;
        int[] mem = new int[MEMWORDS];
        for (int pc = 0; ; pc++) {
            int code = prog[pc][0];
            int jt = prog[pc][1];
            int jf = prog[pc][2];
            int k = prog[pc][3];
            switch (code & 0x07) {
                case 0x00 -> a = switch (code) { // BPF_LD
                    case 0x20 -> data.getInt(k);          // W|ABS
                    case 0x80 -> SECCOMP_DATA_SIZE;       // W|LEN
                    case 0x00 -> k;                       // W|IMM
                    case 0x60 -> mem[k];                  // W|MEM
                    default -> throw new AssertionError("opcode " + code);
                };
                case 0x01 -> x = switch (code) { // BPF_LDX
                    case 0x81 -> SECCOMP_DATA_SIZE;
                    case 0x01 -> k;
                    case 0x61 -> mem[k];
                    default -> throw new AssertionError("opcode " + code);
                };
                case 0x02 -> mem[k] = a;
                case 0x03 -> mem[k] = x;
                case 0x04 -> a = alu(code, a, (code & 0x08) != 0 ? x : k);
                case 0x05 -> {
                    int operand = (code & 0x08) != 0 ? x : k;
                    boolean taken = switch (code & 0xF0) {
                        case 0x00 -> {
                            pc += k;
                            yield false;
                        }
                        case 0x10 -> a == operand;
                        case 0x20 -> Integer.compareUnsigned(a, operand) > 0;
                        case 0x30 -> Integer.compareUnsigned(a, operand) >= 0;
                        case 0x40 -> (a & operand) != 0;
                        default -> throw new AssertionError("opcode " + code);
                    };
                    if ((code & 0xF0) != 0x00) {
                        pc += taken ? jt : jf;
                    }
                }
                case 0x06 -> {
                    return (code & 0x18) == 0x10 ? a : k; // BPF_RET | BPF_A or BPF_K
                }
                case 0x07 -> {
                    if (code == 0x07) {
                        x = a;  // TAX
                    } else {
                        a = x;  // TXA
                    }
                }
                default -> throw new AssertionError("opcode " + code);
            }
        }
    }

    /** Decodes and checks a filter as the kernel would on load; returns {code, jt, jf, k} rows. */
    static int[][] verify(byte[] filter) {
        if (filter.length % 8 != 0) {
            throw new AssertionError("filter length " + filter.length + " is not a multiple of 8");
        }
        int n = filter.length / 8;
        if (n == 0 || n > MAXINSNS) {
            throw new AssertionError("filter has " + n + " instructions");
        }
        ByteBuffer in = ByteBuffer.wrap(filter).order(ByteOrder.LITTLE_ENDIAN);
        int[][] prog = new int[n][];
        for (int pc = 0; pc < n; pc++) {
            int code = in.getShort() & 0xFFFF;
            int jt = in.get() & 0xFF;
            int jf = in.get() & 0xFF;
            int k = in.getInt();
            prog[pc] = new int[] {code, jt, jf, k};
            switch (code) {
                case 0x20 -> {
                    if ((k & 3) != 0 || Integer.compareUnsigned(k, SECCOMP_DATA_SIZE) >= 0) {
                        throw new AssertionError("pc " + pc + ": bad seccomp_data offset " + k);
                    }
                }
                case 0x80, 0x81, 0x00, 0x01, 0x07, 0x87, 0x06, 0x16 -> { }
                case 0x60, 0x61, 0x02, 0x03 -> {
                    if (Integer.compareUnsigned(k, MEMWORDS) >= 0) {
                        throw new AssertionError("pc " + pc + ": bad scratch slot " + k);
                    }
                }
                case 0x05 -> {
                    if (Integer.compareUnsigned(k, n - pc - 1) >= 0) {
                        throw new AssertionError("pc " + pc + ": ja out of range");
                    }
                }
                case 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d -> {
                    if (pc + 1 + jt >= n || pc + 1 + jf >= n) {
                        throw new AssertionError("pc " + pc + ": conditional jump out of range");
                    }
                }
                default -> {
                    if ((code & 0x07) != 0x04) {
                        throw new AssertionError("pc " + pc + ": opcode 0x" + Integer.toHexString(code) + " not allowed in seccomp");
                    }
                    if ((code == 0x34 || code == 0x94) && k == 0) {
                        throw new AssertionError("pc " + pc + ": division by constant zero");
                    }
                }
            }
        }
        if ((prog[n - 1][0] & 0x07) != 0x06) {
            throw new AssertionError("last instruction is not a return");
        }
        return prog;
    }

    private static int alu(int code, int a, int operand) {
        return switch (code & 0xF0) {
            case 0x00 -> a + operand;
            case 0x10 -> a - operand;
            case 0x20 -> a * operand;
            case 0x30 -> Integer.divideUnsigned(a, operand);
            case 0x40 -> a | operand;
            case 0x50 -> a & operand;
            case 0x60 -> a << operand;
            case 0x70 -> a >>> operand;
            case 0x80 -> -a;
            case 0x90 -> Integer.remainderUnsigned(a, operand);
            case 0xA0 -> a ^ operand;
            default -> throw new AssertionError("alu opcode " + code);
        };
    }
}
