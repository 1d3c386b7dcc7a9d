package dev.berth.runtime.seccomp;

import java.util.List;

/**
 * Jumps on the syscall number in the accumulator to the code for that call, as a binary search.
 *
 * <p>libseccomp (and so runc by default) tests the numbers one after the other; with Docker's
 * profile that is some 350 comparisons for a call near the end of the list. A search tree over
 * sorted ranges needs about ten. Consecutive numbers with the same target share one range, which
 * shrinks a typical allow list several times over. The kernel's own action cache (seccomp_cache,
 * Linux 5.11) still works: it only needs the path for a number not to read the arguments.
 */
final class SyscallDispatch {
    /** Syscall numbers {@code lo..hi} (inclusive) go to {@code target}. */
    record Range(int lo, int hi, BpfAssembler.Label target) {}

    /** Up to this many ranges are tested in a row rather than split further. */
    private static final int LEAF = 4;

    private SyscallDispatch() {
    }

    /**
     * Writes the search; numbers in no range go to {@code fallback}. Never falls through.
     *
     * @param ranges sorted, disjoint
     */
    static void emit(BpfAssembler asm, List<Range> ranges, BpfAssembler.Label fallback) {
        if (ranges.isEmpty()) {
            asm.jump(fallback);
        } else {
            tree(asm, ranges, fallback);
        }
    }

    private static void tree(BpfAssembler asm, List<Range> ranges, BpfAssembler.Label fallback) {
        if (ranges.size() <= LEAF) {
            leaf(asm, ranges, fallback);
            return;
        }
        int mid = ranges.size() / 2;
        BpfAssembler.Label upper = asm.newLabel();
        // Comparisons are unsigned, so a negative nr (such as -1 from a tracer) lands above every range.
        asm.branch(BpfAssembler.JMP_JGE_K, ranges.get(mid).lo(), upper, null);
        tree(asm, ranges.subList(0, mid), fallback);
        asm.bind(upper);
        tree(asm, ranges.subList(mid, ranges.size()), fallback);
    }

    /** Tests the ranges in ascending order; each test already knows nr is not in an earlier range. */
    private static void leaf(BpfAssembler asm, List<Range> ranges, BpfAssembler.Label fallback) {
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            boolean last = i == ranges.size() - 1;
            if (r.lo() == r.hi()) {
                asm.branch(BpfAssembler.JMP_JEQ_K, r.lo(), r.target(), last ? fallback : null);
            } else {
                // Above hi: try the next range. Otherwise nr <= hi, and since it is in no earlier
                // range and later ranges start above hi, it is either in this one or in none.
                BpfAssembler.Label next = last ? fallback : asm.newLabel();
                asm.branch(BpfAssembler.JMP_JGT_K, r.hi(), next, null);
                asm.branch(BpfAssembler.JMP_JGE_K, r.lo(), r.target(), fallback);
                if (!last) {
                    asm.bind(next);
                }
            }
        }
    }
}
