package dev.berth.cgroups;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an eBPF program (Documentation/bpf/standardization/instruction-set.rst) with symbolic
 * forward jumps, and encodes it as an array of {@code struct bpf_insn}: u8 code, u8 dst_reg:4 /
 * src_reg:4, s16 off, s32 imm, in the host's byte order, which is what bpf(BPF_PROG_LOAD) takes.
 *
 * <p>Only the handful of instructions a device filter needs. Jumps go forward only, so the
 * program cannot loop, and every label must be bound to an instruction: the verifier refuses
 * back-edges it cannot bound and code it cannot reach (kernel/bpf/verifier.c, check_cfg).
 */
final class EbpfAssembler {
    static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;

    // Opcodes: class | operation | source, from include/uapi/linux/bpf.h and bpf_common.h.
    static final int LDX_MEM_W = 0x61;    // BPF_LDX | BPF_MEM | BPF_W: dst = *(u32 *)(src + off)
    static final int ALU32_AND_K = 0x54;  // BPF_ALU | BPF_AND | BPF_K: dst = (u32) (dst & imm)
    static final int ALU32_RSH_K = 0x74;  // BPF_ALU | BPF_RSH | BPF_K
    static final int ALU32_MOV_K = 0xb4;  // BPF_ALU | BPF_MOV | BPF_K: dst = (u32) imm, upper half zeroed
    static final int ALU64_MOV_X = 0xbf;  // BPF_ALU64 | BPF_MOV | BPF_X: dst = src
    static final int JMP_JEQ_K = 0x15;    // BPF_JMP | BPF_JEQ | BPF_K, 64-bit compare with imm sign-extended
    static final int JMP_JNE_K = 0x55;    // BPF_JMP | BPF_JNE | BPF_K
    static final int JMP_JNE_X = 0x5d;    // BPF_JMP | BPF_JNE | BPF_X
    static final int JMP_EXIT = 0x95;     // BPF_JMP | BPF_EXIT: return r0

    static final int INSN_SIZE = 8;

    /** A position in the program, bound once to the instruction that follows it. */
    static final class Label {
        private int index = -1;
    }

    private record Insn(int code, int dst, int src, Label target, int imm) {}

    private final List<Insn> insns = new ArrayList<>();

    Label newLabel() {
        return new Label();
    }

    void bind(Label label) {
        if (label.index >= 0) {
            throw new IllegalStateException("label bound twice");
        }
        label.index = insns.size();
    }

    /** {@code dst = *(u32 *)(src + offset)}. */
    void loadWord(int dst, int src, int offset) {
        insns.add(new Insn(LDX_MEM_W, dst, src, null, offset));
    }

    /** An ALU instruction with an immediate operand. */
    void alu(int code, int dst, int imm) {
        insns.add(new Insn(code, dst, 0, null, imm));
    }

    void move(int dst, int src) {
        insns.add(new Insn(ALU64_MOV_X, dst, src, null, 0));
    }

    /** {@code if (dst <op> imm) goto target}. */
    void jumpImm(int code, int dst, int imm, Label target) {
        insns.add(new Insn(code, dst, 0, target, imm));
    }

    /** {@code if (dst <op> src) goto target}. */
    void jumpReg(int code, int dst, int src, Label target) {
        insns.add(new Insn(code, dst, src, target, 0));
    }

    /** {@code return value}. */
    void ret(int value) {
        alu(ALU32_MOV_K, R0, value);
        insns.add(new Insn(JMP_EXIT, 0, 0, null, 0));
    }

    int size() {
        return insns.size();
    }

    /** The program as {@code struct bpf_insn[]}; the memory offset of a load travels in {@code off}, a jump's distance too. */
    byte[] assemble() {
        if (insns.isEmpty() || insns.getLast().code() != JMP_EXIT) {
            throw new IllegalStateException("an eBPF program must end with exit");
        }
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        ByteBuffer out = ByteBuffer.allocate(insns.size() * INSN_SIZE).order(ByteOrder.nativeOrder());
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            int off;
            int imm = in.imm();
            if (in.target() != null) {
                int to = in.target().index;
                if (to <= i || to >= insns.size()) {
                    throw new IllegalStateException("jump at " + i + " to " + (to < 0 ? "an unbound label" : to)
                            + ": only forward jumps to an instruction are allowed");
                }
                off = to - i - 1;
            } else if (in.code() == LDX_MEM_W) {
                off = imm;
                imm = 0;
            } else {
                off = 0;
            }
            if (off > Short.MAX_VALUE) {
                throw new IllegalStateException("jump at " + i + " is too far for a 16-bit offset");
            }
            out.put((byte) in.code());
            // The bit-field order of dst_reg:4, src_reg:4 follows the byte order (uapi/linux/bpf.h).
            out.put((byte) (little ? (in.src() << 4) | in.dst() : (in.dst() << 4) | in.src()));
            out.putShort((short) off);
            out.putInt(imm);
        }
        return out.array();
    }
}
