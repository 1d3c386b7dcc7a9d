package dev.berth.runtime.seccomp;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;

/**
 * One comparison of a system-call argument, as in {@code linux.seccomp.syscalls[].args[]}.
 * Values are unsigned 64-bit numbers held in a long. For {@link Op#MASKED_EQ}, {@code value} is
 * the mask and {@code valueTwo} the expected result: {@code (arg & value) == valueTwo}.
 */
record ArgCondition(int index, Op op, long value, long valueTwo) {
    /** seccomp_data has six argument slots (include/uapi/linux/seccomp.h). */
    static final int MAX_ARGS = 6;

    enum Op {
        NE("SCMP_CMP_NE"), LT("SCMP_CMP_LT"), LE("SCMP_CMP_LE"), EQ("SCMP_CMP_EQ"),
        GE("SCMP_CMP_GE"), GT("SCMP_CMP_GT"), MASKED_EQ("SCMP_CMP_MASKED_EQ");

        final String scmpName;

        Op(String scmpName) {
            this.scmpName = scmpName;
        }
    }

    /** Parses and checks one argument entry; {@code field} is its config path, for errors. */
    static ArgCondition parse(Spec.SyscallArg arg, String field) {
        if (arg == null) {
            throw new SpecException(field + ": must not be null");
        }
        if (arg.index() == null || arg.index() < 0 || arg.index() >= MAX_ARGS) {
            throw new SpecException(field + ".index: must be between 0 and " + (MAX_ARGS - 1) + ", got " + arg.index());
        }
        Op op = null;
        for (Op candidate : Op.values()) {
            if (candidate.scmpName.equals(arg.op())) {
                op = candidate;
            }
        }
        if (op == null) {
            throw new SpecException(field + ".op: unknown operator \"" + arg.op() + "\"");
        }
        // Absent values are 0, as in the runtime-spec's Go types (plain uint64 fields).
        long value = arg.value() == null ? 0 : arg.value();
        long valueTwo = arg.valueTwo() == null ? 0 : arg.valueTwo();
        return new ArgCondition(arg.index(), op, value, valueTwo);
    }

    /** The condition as a 32-bit ABI sees it: libseccomp keeps only the low word of each value. */
    ArgCondition narrowed() {
        return new ArgCondition(index, op, value & 0xFFFF_FFFFL, valueTwo & 0xFFFF_FFFFL);
    }
}
