package dev.berth.runtime.seccomp;

import java.util.List;

/**
 * One rule of a profile, checked and independent of any ABI: when a call named in {@code names}
 * has arguments meeting every condition, the filter returns {@code action}.
 *
 * @param action the filter return value (SECCOMP_RET_* | data)
 */
record SeccompRule(List<String> names, int action, List<ArgCondition> conditions) {
    SeccompRule {
        names = List.copyOf(names);
        conditions = List.copyOf(conditions);
    }

    boolean unconditional() {
        return conditions.isEmpty();
    }
}
