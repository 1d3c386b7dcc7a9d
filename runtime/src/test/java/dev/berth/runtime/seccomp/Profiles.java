package dev.berth.runtime.seccomp;

import dev.berth.oci.runtime.Spec;
import java.util.Arrays;
import java.util.List;

/** Short ways to write {@code linux.seccomp} sections in tests. */
final class Profiles {
    static final int ALLOW = SeccompAction.RET_ALLOW;
    static final int KILL_THREAD = SeccompAction.RET_KILL_THREAD;
    static final int KILL_PROCESS = SeccompAction.RET_KILL_PROCESS;

    private Profiles() {
    }

    static Spec.Seccomp profile(String defaultAction, Spec.Syscall... calls) {
        return new Spec.Seccomp(defaultAction, null, null, null, null, null, List.of(calls));
    }

    static Spec.Seccomp profile(String defaultAction, List<String> arches, Spec.Syscall... calls) {
        return new Spec.Seccomp(defaultAction, null, arches, null, null, null, List.of(calls));
    }

    static Spec.Syscall rule(String action, String... names) {
        return new Spec.Syscall(List.of(names), action, null, null);
    }

    static Spec.Syscall rule(String action, Integer errnoRet, List<Spec.SyscallArg> args, String... names) {
        return new Spec.Syscall(Arrays.asList(names), action, errnoRet, args);
    }

    static Spec.SyscallArg arg(int index, String op, long value) {
        return new Spec.SyscallArg(index, value, 0L, op);
    }

    static Spec.SyscallArg masked(int index, long mask, long expected) {
        return new Spec.SyscallArg(index, mask, expected, "SCMP_CMP_MASKED_EQ");
    }

    static int errno(int errno) {
        return SeccompAction.RET_ERRNO | errno;
    }

    static int nr(SeccompArch arch, String name) {
        return SyscallTable.of(arch).number(name).orElseThrow(() -> new AssertionError(name + " not in " + arch));
    }

    /** The filter's verdict for {@code name} made from {@code arch} with the given arguments. */
    static int decide(SeccompProgram program, SeccompArch arch, String name, long... args) {
        return BpfInterpreter.run(program.filter(), arch.auditArch(), nr(arch, name), args);
    }
}
