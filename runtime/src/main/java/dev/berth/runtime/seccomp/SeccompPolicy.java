package dev.berth.runtime.seccomp;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code linux.seccomp} checked and reduced to what the filter needs: every field error is found
 * here, with its config path, before any code is generated.
 *
 * @param defaultAction filter return value for calls no rule matches
 * @param arches        the ABIs the filter accepts, the native one first
 * @param flags         SECCOMP_FILTER_FLAG_* bits
 * @param rules         in config order; the first rule that matches a call decides it
 */
record SeccompPolicy(int defaultAction, Set<SeccompArch> arches, int flags, List<SeccompRule> rules) {
    static final int FLAG_TSYNC = 1;
    static final int FLAG_LOG = 2;
    static final int FLAG_SPEC_ALLOW = 4;

    static SeccompPolicy parse(Spec.Seccomp seccomp, SeccompArch nativeArch) {
        int defaultAction = SeccompAction.parse(seccomp.defaultAction(), seccomp.defaultErrnoRet(),
                "linux.seccomp.defaultAction", "linux.seccomp.defaultErrnoRet");
        return new SeccompPolicy(defaultAction, arches(seccomp.architectures(), nativeArch),
                flags(seccomp.flags()), rules(seccomp.syscalls()));
    }

    /** libseccomp filters always include the native ABI; the listed ones are added to it (runc's AddArch). */
    private static Set<SeccompArch> arches(List<String> names, SeccompArch nativeArch) {
        Set<SeccompArch> arches = new LinkedHashSet<>();
        arches.add(nativeArch);
        if (names != null) {
            for (int i = 0; i < names.size(); i++) {
                arches.add(SeccompArch.parse(names.get(i), "linux.seccomp.architectures[" + i + "]"));
            }
        }
        return Collections.unmodifiableSet(arches);
    }

    private static int flags(List<String> names) {
        int flags = 0;
        if (names == null) {
            return flags;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String field = "linux.seccomp.flags[" + i + "]";
            flags |= switch (name == null ? "" : name) {
                case "SECCOMP_FILTER_FLAG_TSYNC" -> FLAG_TSYNC;
                case "SECCOMP_FILTER_FLAG_LOG" -> FLAG_LOG;
                case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> FLAG_SPEC_ALLOW;
                // Real kernel flags, but each needs machinery the plan executor does not have.
                case "SECCOMP_FILTER_FLAG_NEW_LISTENER", "SECCOMP_FILTER_FLAG_TSYNC_ESRCH",
                     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" ->
                        throw new SpecException(field + ": flag " + name + " is not supported by berth");
                default -> throw new SpecException(field + ": unknown flag \"" + name + "\"");
            };
        }
        return flags;
    }

    private static List<SeccompRule> rules(List<Spec.Syscall> syscalls) {
        List<SeccompRule> rules = new ArrayList<>();
        if (syscalls == null) {
            return rules;
        }
        for (int i = 0; i < syscalls.size(); i++) {
            String field = "linux.seccomp.syscalls[" + i + "]";
            Spec.Syscall call = syscalls.get(i);
            if (call == null) {
                throw new SpecException(field + ": must not be null");
            }
            List<String> names = names(call.names(), field + ".names");
            int action = SeccompAction.parse(call.action(), call.errnoRet(), field + ".action", field + ".errnoRet");
            List<ArgCondition> conditions = new ArrayList<>();
            boolean[] seen = new boolean[ArgCondition.MAX_ARGS];
            boolean repeatedIndex = false;
            List<Spec.SyscallArg> args = call.args() == null ? List.of() : call.args();
            for (int j = 0; j < args.size(); j++) {
                ArgCondition condition = ArgCondition.parse(args.get(j), field + ".args[" + j + "]");
                repeatedIndex |= seen[condition.index()];
                seen[condition.index()] = true;
                conditions.add(condition);
            }
            if (repeatedIndex) {
                // runc (libcontainer/seccomp matchCall): when one argument is compared more than once,
                // each comparison becomes a rule of its own, so they are ORed instead of ANDed.
                for (ArgCondition condition : conditions) {
                    rules.add(new SeccompRule(names, action, List.of(condition)));
                }
            } else {
                rules.add(new SeccompRule(names, action, conditions));
            }
        }
        return rules;
    }

    private static List<String> names(List<String> names, String field) {
        if (names == null || names.isEmpty()) {
            throw new SpecException(field + ": at least one syscall name is required");
        }
        for (int j = 0; j < names.size(); j++) {
            if (names.get(j) == null || names.get(j).isBlank()) {
                throw new SpecException(field + "[" + j + "]: must not be empty");
            }
        }
        return names;
    }
}
