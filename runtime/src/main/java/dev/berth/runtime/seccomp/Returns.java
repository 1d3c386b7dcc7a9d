package dev.berth.runtime.seccomp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One shared {@code ret} instruction per distinct filter result, so that every unconditional
 * rule with the same action jumps to the same place instead of carrying a return of its own.
 */
final class Returns {
    private final BpfAssembler asm;
    private final Map<Integer, BpfAssembler.Label> labels = new LinkedHashMap<>();

    Returns(BpfAssembler asm) {
        this.asm = asm;
    }

    BpfAssembler.Label of(int action) {
        return labels.computeIfAbsent(action, a -> asm.newLabel());
    }

    /** Writes the returns asked for so far; they must come after every jump to them. */
    void emit() {
        labels.forEach((action, label) -> {
            asm.bind(label);
            asm.ret(action);
        });
        labels.clear();
    }
}
