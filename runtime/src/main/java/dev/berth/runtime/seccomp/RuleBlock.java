package dev.berth.runtime.seccomp;

import java.util.List;

/**
 * The code for one system call whose rules look at arguments: the rules in order, each a run of
 * argument tests that falls through to its return when all pass and jumps to the next rule at the
 * first that fails; after the last rule, the default action.
 *
 * <p>Arguments are unsigned 64-bit values but BPF compares 32-bit words, so a test on a 64-bit ABI
 * looks at the high word first and only reads the low word when the high words are equal
 * (GT: {@code hi > vhi || (hi == vhi && lo > vlo)}). LT, LE and NE are GE, GT and EQ with the
 * outcomes swapped. On 32-bit ABIs only the low word is tested, as libseccomp does.
 */
final class RuleBlock {
    private final BpfAssembler asm;
    private final boolean wideArgs;

    RuleBlock(BpfAssembler asm, SeccompArch arch) {
        this.asm = asm;
        this.wideArgs = arch.wideArgs();
    }

    void emit(BpfAssembler.Label start, List<SeccompRule> rules, int defaultAction) {
        asm.bind(start);
        for (SeccompRule rule : rules) {
            if (rule.unconditional()) {
                asm.ret(rule.action()); // nothing after it can be reached
                return;
            }
            BpfAssembler.Label nextRule = asm.newLabel();
            for (ArgCondition condition : rule.conditions()) {
                test(wideArgs ? condition : condition.narrowed(), nextRule);
            }
            asm.ret(rule.action());
            asm.bind(nextRule);
        }
        asm.ret(defaultAction);
    }

    /** Falls through when the condition holds, jumps to {@code fail} when it does not. */
    private void test(ArgCondition c, BpfAssembler.Label fail) {
        BpfAssembler.Label pass = asm.newLabel();
        boolean negated = c.op() == ArgCondition.Op.NE || c.op() == ArgCondition.Op.LT || c.op() == ArgCondition.Op.LE;
        BpfAssembler.Label onTrue = negated ? fail : pass;
        BpfAssembler.Label onFalse = negated ? pass : fail;
        int lo = SeccompData.argLow(c.index());
        int hi = SeccompData.argHigh(c.index());
        switch (c.op()) {
            case EQ, NE -> {
                if (wideArgs) {
                    asm.load(hi);
                    asm.branch(BpfAssembler.JMP_JEQ_K, high(c.value()), null, onFalse);
                }
                asm.load(lo);
                asm.branch(BpfAssembler.JMP_JEQ_K, low(c.value()), onTrue, onFalse);
            }
            case GT, LE -> ordered(BpfAssembler.JMP_JGT_K, c.value(), lo, hi, onTrue, onFalse);
            case GE, LT -> ordered(BpfAssembler.JMP_JGE_K, c.value(), lo, hi, onTrue, onFalse);
            case MASKED_EQ -> {
                long mask = c.value();
                long expected = c.valueTwo();
                // A zero high mask with a zero expected high word holds for every argument: skip it.
                if (wideArgs && (high(mask) != 0 || high(expected) != 0)) {
                    asm.load(hi);
                    andUnlessAllOnes(high(mask));
                    asm.branch(BpfAssembler.JMP_JEQ_K, high(expected), null, onFalse);
                }
                asm.load(lo);
                andUnlessAllOnes(low(mask));
                asm.branch(BpfAssembler.JMP_JEQ_K, low(expected), onTrue, onFalse);
            }
        }
        asm.bind(pass);
    }

    /** {@code arg <cmp> value} for cmp = GT or GE, as 64-bit unsigned when the ABI has wide args. */
    private void ordered(int cmp, long value, int lo, int hi, BpfAssembler.Label onTrue, BpfAssembler.Label onFalse) {
        if (wideArgs) {
            asm.load(hi);
            asm.branch(BpfAssembler.JMP_JGT_K, high(value), onTrue, null);
            asm.branch(BpfAssembler.JMP_JEQ_K, high(value), null, onFalse);
        }
        asm.load(lo);
        asm.branch(cmp, low(value), onTrue, onFalse);
    }

    private void andUnlessAllOnes(int mask) {
        if (mask != -1) {
            asm.and(mask);
        }
    }

    private static int high(long v) {
        return (int) (v >>> 32);
    }

    private static int low(long v) {
        return (int) v;
    }
}
