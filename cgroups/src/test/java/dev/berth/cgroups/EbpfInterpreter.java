package dev.berth.cgroups;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A small eBPF machine for tests: runs a BPF_PROG_TYPE_CGROUP_DEVICE program on a
 * {@code struct bpf_cgroup_dev_ctx}, decoding the bytes the kernel would get, after the checks the
 * verifier would make on a program of this kind (kernel/bpf/verifier.c): known opcodes, jumps in
 * range and forward only, no unreachable instruction, the last one an exit; and, while running,
 * no read of an unset register, loads only from the context at its three u32 fields, no
 * arithmetic on the context pointer, and a return value of 0 or 1 (check_return_code).
 */
final class EbpfInterpreter {
    private static final int MAX_INSNS = 4096;
    private static final int CTX_SIZE = 12;

    /** One decoded struct bpf_insn. */
    private record Insn(int code, int dst, int src, int off, int imm) {}

    private EbpfInterpreter() {}

    /** The program's verdict (1 allow, 0 deny) for an access of {@code access} bits to {@code type major:minor}. */
    static int run(byte[] program, int type, int access, long major, long minor) {
        Insn[] prog = verify(program);
        ByteBuffer ctx = ByteBuffer.allocate(CTX_SIZE).order(ByteOrder.nativeOrder());
        ctx.putInt(0, type | (access << 16)).putInt(4, (int) major).putInt(8, (int) minor);

        long[] reg = new long[11];
        // Register states: 0 unset, 1 scalar, 2 pointer to the context.
        int[] kind = new int[11];
        kind[1] = 2;
        kind[10] = 1; // the frame pointer; unused here
        for (int pc = 0; ; pc++) {
            Insn in = prog[pc];
            int cls = in.code() & 0x07;
            switch (cls) {
                case 0x01 -> { // BPF_LDX
                    if (in.code() != 0x61) throw new AssertionError(pc + ": only LDX MEM W is expected, got " + hex(in.code()));
                    if (kind[in.src()] != 2) throw new AssertionError(pc + ": load through r" + in.src() + ", which is not the context");
                    int off = in.off();
                    if (off != 0 && off != 4 && off != 8) throw new AssertionError(pc + ": context load at offset " + off);
                    reg[in.dst()] = Integer.toUnsignedLong(ctx.getInt(off));
                    kind[in.dst()] = 1;
                }
                case 0x04, 0x07 -> { // BPF_ALU (32-bit), BPF_ALU64
                    boolean is64 = cls == 0x07;
                    boolean fromReg = (in.code() & 0x08) != 0;
                    int op = in.code() & 0xf0;
                    if (in.dst() == 10) throw new AssertionError(pc + ": write to the frame pointer");
                    long b;
                    if (fromReg) {
                        read(kind, in.src(), pc);
                        b = reg[in.src()];
                    } else {
                        b = in.imm(); // sign-extended to 64 bits, as the kernel does
                    }
                    if (op == 0xb0) { // MOV
                        reg[in.dst()] = is64 ? b : b & 0xffff_ffffL;
                        kind[in.dst()] = fromReg && is64 ? kind[in.src()] : 1;
                        if (!is64 && fromReg && kind[in.src()] == 2) throw new AssertionError(pc + ": 32-bit move of a pointer");
                        continue;
                    }
                    read(kind, in.dst(), pc);
                    if (kind[in.dst()] == 2) throw new AssertionError(pc + ": arithmetic on the context pointer");
                    long a = reg[in.dst()];
                    long r = switch (op) {
                        case 0x00 -> a + b;                                     // ADD
                        case 0x10 -> a - b;                                     // SUB
                        case 0x40 -> a | b;                                     // OR
                        case 0x50 -> a & b;                                     // AND
                        case 0x60 -> a << (b & (is64 ? 63 : 31));               // LSH
                        case 0x70 -> (is64 ? a : a & 0xffff_ffffL) >>> (b & (is64 ? 63 : 31)); // RSH
                        case 0xa0 -> a ^ b;                                     // XOR
                        default -> throw new AssertionError(pc + ": ALU op " + hex(in.code()) + " not expected");
                    };
                    reg[in.dst()] = is64 ? r : r & 0xffff_ffffL;
                }
                case 0x05 -> { // BPF_JMP
                    int op = in.code() & 0xf0;
                    if (op == 0x90) { // EXIT
                        read(kind, 0, pc);
                        if (kind[0] != 1) throw new AssertionError(pc + ": returns a pointer");
                        if (reg[0] != 0 && reg[0] != 1) throw new AssertionError(pc + ": returns " + reg[0] + ", not 0 or 1");
                        return (int) reg[0];
                    }
                    if (op == 0x00) { // JA
                        pc += in.off();
                        continue;
                    }
                    read(kind, in.dst(), pc);
                    long a = reg[in.dst()];
                    long b;
                    if ((in.code() & 0x08) != 0) {
                        read(kind, in.src(), pc);
                        b = reg[in.src()];
                    } else {
                        b = in.imm();
                    }
                    boolean jump = switch (op) {
                        case 0x10 -> a == b;                                    // JEQ
                        case 0x50 -> a != b;                                    // JNE
                        case 0x40 -> (a & b) != 0;                              // JSET
                        case 0x20 -> Long.compareUnsigned(a, b) > 0;            // JGT
                        case 0x30 -> Long.compareUnsigned(a, b) >= 0;           // JGE
                        default -> throw new AssertionError(pc + ": jump op " + hex(in.code()) + " not expected");
                    };
                    if (jump) {
                        pc += in.off();
                    }
                }
                default -> throw new AssertionError(pc + ": instruction class " + cls + " not expected");
            }
        }
    }

    private static void read(int[] kind, int r, int pc) {
        if (kind[r] == 0) throw new AssertionError(pc + ": r" + r + " is read before it is set");
    }

    /** Decodes and checks the program as the verifier's structural pass would. */
    static Insn[] verify(byte[] program) {
        if (program.length == 0 || program.length % 8 != 0) throw new AssertionError("length " + program.length);
        int n = program.length / 8;
        if (n > MAX_INSNS) throw new AssertionError(n + " instructions");
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        Insn[] prog = new Insn[n];
        for (int i = 0; i < n; i++) {
            int code = b.get(i * 8) & 0xff;
            int regs = b.get(i * 8 + 1) & 0xff;
            int dst = little ? regs & 0x0f : regs >>> 4;
            int src = little ? regs >>> 4 : regs & 0x0f;
            if (dst > 10 || src > 10) throw new AssertionError(i + ": register out of range");
            prog[i] = new Insn(code, dst, src, b.getShort(i * 8 + 2), b.getInt(i * 8 + 4));
        }
        if (prog[n - 1].code() != 0x95) throw new AssertionError("the last instruction is not exit");
        boolean[] reached = new boolean[n];
        reached[0] = true;
        for (int i = 0; i < n; i++) {
            if (!reached[i]) throw new AssertionError("unreachable instruction " + i);
            Insn in = prog[i];
            boolean jmp = (in.code() & 0x07) == 0x05;
            boolean exit = in.code() == 0x95;
            boolean always = in.code() == 0x05; // JA
            if (jmp && !exit) {
                int to = i + 1 + in.off();
                if (in.off() < 0) throw new AssertionError(i + ": backward jump");
                if (to >= n) throw new AssertionError(i + ": jump past the end");
                reached[to] = true;
            }
            if (!exit && !always && i + 1 < n) {
                reached[i + 1] = true;
            }
        }
        return prog;
    }

    private static String hex(int code) {
        return String.format("0x%02x", code);
    }
}
