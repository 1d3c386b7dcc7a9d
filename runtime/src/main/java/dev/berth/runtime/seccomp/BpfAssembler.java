package dev.berth.runtime.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a classic BPF program with symbolic forward jumps, and lays it out.
 *
 * <p>The one difficulty of classic BPF is that a conditional jump's offsets (jt, jf) are 8 bits,
 * so it can reach at most 255 instructions ahead, while {@code BPF_JA} has a 32-bit offset. Code is
 * written as if every jump could reach anywhere; {@link #assemble()} then gives each conditional
 * jump whose target is too far a trampoline placed right after it: a {@code ja} to the target, or
 * a copy of the target when that is a {@code ret} (same size, one jump fewer at run time).
 * Trampolines push later code further away, so layout repeats until nothing more is too far; it
 * ends because jumps only ever gain trampolines.
 *
 * <p>Only forward jumps exist in classic BPF (no loops), and the kernel refuses a program whose
 * last instruction is not a return (bpf_check_classic in net/core/filter.c); both are checked.
 */
final class BpfAssembler {
    // Opcodes from include/uapi/linux/filter.h and bpf_common.h.
    static final int LD_W_ABS = 0x20;     // BPF_LD | BPF_W | BPF_ABS
    static final int ALU_AND_K = 0x54;    // BPF_ALU | BPF_AND | BPF_K
    static final int JMP_JA = 0x05;       // BPF_JMP | BPF_JA
    static final int JMP_JEQ_K = 0x15;    // BPF_JMP | BPF_JEQ | BPF_K
    static final int JMP_JGT_K = 0x25;    // BPF_JMP | BPF_JGT | BPF_K
    static final int JMP_JGE_K = 0x35;    // BPF_JMP | BPF_JGE | BPF_K
    static final int JMP_JSET_K = 0x45;   // BPF_JMP | BPF_JSET | BPF_K
    static final int RET_K = 0x06;        // BPF_RET | BPF_K

    static final int INSN_SIZE = 8;
    private static final int MAX_COND_OFFSET = 255;

    /** A position in the program; bound once, to the instruction that follows it. */
    static final class Label {
        private int index = -1;
    }

    private sealed interface Insn permits Plain, Jump, Branch {}

    /** An instruction without a label: load, ALU or return. */
    private record Plain(int code, int k) implements Insn {}

    private record Jump(Label target) implements Insn {}

    /** A conditional jump; a null target means the next instruction. */
    private static final class Branch implements Insn {
        final int code;
        final int k;
        final Label onTrue;
        final Label onFalse;
        boolean farTrue;
        boolean farFalse;

        Branch(int code, int k, Label onTrue, Label onFalse) {
            this.code = code;
            this.k = k;
            this.onTrue = onTrue;
            this.onFalse = onFalse;
        }

        int size() {
            return 1 + (farTrue ? 1 : 0) + (farFalse ? 1 : 0);
        }
    }

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

    void load(int offset) {
        insns.add(new Plain(LD_W_ABS, offset));
    }

    void and(int mask) {
        insns.add(new Plain(ALU_AND_K, mask));
    }

    void ret(int value) {
        insns.add(new Plain(RET_K, value));
    }

    void jump(Label target) {
        insns.add(new Jump(target));
    }

    /** {@code if (A <op> k) goto onTrue else goto onFalse}; either label may be null for "next". */
    void branch(int code, int k, Label onTrue, Label onFalse) {
        insns.add(new Branch(code, k, onTrue, onFalse));
    }

    /** Lays the program out and encodes it as a little-endian {@code struct sock_filter} array. */
    byte[] assemble() {
        if (insns.isEmpty() || !(insns.getLast() instanceof Plain last && last.code == RET_K)) {
            throw new IllegalStateException("a BPF program must end with a return");
        }
        int[] pos = layout();
        ByteBuffer out = ByteBuffer.allocate(pos[insns.size()] * INSN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < insns.size(); i++) {
            switch (insns.get(i)) {
                case Plain p -> put(out, p.code, 0, 0, p.k);
                case Jump j -> put(out, JMP_JA, 0, 0, target(j.target, i, pos) - pos[i] - 1);
                case Branch b -> {
                    int jt = b.farTrue ? 0 : target(b.onTrue, i, pos) - pos[i] - 1;
                    int jf = b.farFalse ? (b.farTrue ? 1 : 0) : target(b.onFalse, i, pos) - pos[i] - 1;
                    put(out, b.code, jt, jf, b.k);
                    int at = pos[i] + 1;
                    if (b.farTrue) {
                        trampoline(out, b.onTrue, at++, i, pos);
                    }
                    if (b.farFalse) {
                        trampoline(out, b.onFalse, at, i, pos);
                    }
                }
            }
        }
        return out.array();
    }

    /** Positions of each written instruction in the final program (one past the end last). */
    private int[] layout() {
        int n = insns.size();
        int[] pos = new int[n + 1];
        boolean changed = true;
        while (changed) {
            for (int i = 0; i < n; i++) {
                pos[i + 1] = pos[i] + (insns.get(i) instanceof Branch b ? b.size() : 1);
            }
            changed = false;
            for (int i = 0; i < n; i++) {
                if (insns.get(i) instanceof Branch b) {
                    if (!b.farTrue && target(b.onTrue, i, pos) - pos[i] - 1 > MAX_COND_OFFSET) {
                        b.farTrue = changed = true;
                    }
                    if (!b.farFalse && target(b.onFalse, i, pos) - pos[i] - 1 > MAX_COND_OFFSET) {
                        b.farFalse = changed = true;
                    }
                }
            }
        }
        return pos;
    }

    /** Final position of a jump target; {@code null} is the instruction after {@code from}'s block. */
    private int target(Label label, int from, int[] pos) {
        if (label == null) {
            return pos[from + 1];
        }
        if (label.index < 0 || label.index >= insns.size()) {
            throw new IllegalStateException("jump to a label that is unbound or past the end");
        }
        if (label.index <= from) {
            throw new IllegalStateException("classic BPF cannot jump backwards");
        }
        return pos[label.index];
    }

    private void trampoline(ByteBuffer out, Label label, int at, int from, int[] pos) {
        int target = target(label, from, pos);
        if (insns.get(label.index) instanceof Plain p && p.code == RET_K) {
            put(out, RET_K, 0, 0, p.k);
        } else {
            put(out, JMP_JA, 0, 0, target - at - 1);
        }
    }

    private static void put(ByteBuffer out, int code, int jt, int jf, int k) {
        out.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }
}
