package dev.berth.runtime.seccomp;

import static dev.berth.runtime.seccomp.Profiles.arg;
import static dev.berth.runtime.seccomp.Profiles.profile;
import static dev.berth.runtime.seccomp.Profiles.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompValidationTest {
    private static void assertRejected(Spec.Seccomp seccomp, String message) {
        assertThatThrownBy(() -> SeccompCompiler.compile(seccomp, SeccompArch.X86_64))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining(message);
    }

    @Test
    void unknownActionNamesTheField() {
        assertRejected(profile("SCMP_ACT_ERRNO",
                rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_ALLOW", "write"), rule("SCMP_ACT_ALLOW", "close"),
                rule("FOO", "open")),
                "linux.seccomp.syscalls[3].action: unknown action \"FOO\"");
        assertRejected(profile("SCMP_ACT_NOPE"), "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"");
        assertRejected(profile(null), "linux.seccomp.defaultAction: an action is required");
    }

    @Test
    void notifyIsNotSupported() {
        assertRejected(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", "mount")),
                "linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY is not supported");
        assertRejected(profile("SCMP_ACT_NOTIFY"), "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY is not supported");
    }

    @Test
    void badOperatorAndIndexNameTheArgument() {
        assertRejected(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", null,
                List.of(arg(0, "SCMP_CMP_EQ", 1), arg(1, "SCMP_CMP_FOO", 1)), "read")),
                "linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_FOO\"");
        assertRejected(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ALLOW", "read"), rule("SCMP_ACT_ERRNO", null,
                List.of(arg(6, "SCMP_CMP_EQ", 1)), "read")),
                "linux.seccomp.syscalls[1].args[0].index: must be between 0 and 5, got 6");
        assertRejected(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", null,
                List.of(new Spec.SyscallArg(null, 1L, 0L, "SCMP_CMP_EQ")), "read")),
                "linux.seccomp.syscalls[0].args[0].index: must be between 0 and 5, got null");
    }

    @Test
    void badFlagNamesTheFlag() {
        assertRejected(new Spec.Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_LOG", "BOGUS"), null, null, null),
                "linux.seccomp.flags[1]: unknown flag \"BOGUS\"");
        assertRejected(new Spec.Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_NEW_LISTENER"), null, null, null),
                "linux.seccomp.flags[0]: flag SECCOMP_FILTER_FLAG_NEW_LISTENER is not supported");
    }

    @Test
    void badArchitectureNamesTheEntry() {
        assertRejected(profile("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_X86", "SCMP_ARCH_VAX")),
                "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"");
        assertRejected(profile("SCMP_ACT_ALLOW", List.of("SCMP_ARCH_PPC64LE")),
                "linux.seccomp.architectures[0]: architecture SCMP_ARCH_PPC64LE is not supported");
    }

    @Test
    void badErrnoAndNamesAreRejected() {
        assertRejected(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", 70000, null, "read")),
                "linux.seccomp.syscalls[0].errnoRet: must be between 0 and 4095, got 70000");
        assertRejected(new Spec.Seccomp("SCMP_ACT_ERRNO", -1, null, null, null, null, null),
                "linux.seccomp.defaultErrnoRet: must be between 0 and 4095, got -1");
        assertRejected(profile("SCMP_ACT_ALLOW", new Spec.Syscall(List.of(), "SCMP_ACT_ERRNO", null, null)),
                "linux.seccomp.syscalls[0].names: at least one syscall name is required");
    }

    @Test
    void programsOverTheKernelLimitAreRejected() {
        List<Spec.Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            calls.add(rule("SCMP_ACT_ALLOW", null,
                    List.of(arg(0, "SCMP_CMP_EQ", i), arg(1, "SCMP_CMP_GT", i), arg(2, "SCMP_CMP_LT", i)), "ioctl"));
        }
        assertRejected(profile("SCMP_ACT_ERRNO", calls.toArray(Spec.Syscall[]::new)),
                "more than the kernel's limit of 4096 (BPF_MAXINSNS)");
    }

    @Test
    void hostArchitectureIsKnown() {
        assertThat(SeccompArch.hostFor("amd64")).contains(SeccompArch.X86_64);
        assertThat(SeccompArch.hostFor("aarch64")).contains(SeccompArch.AARCH64);
        assertThat(SeccompArch.hostFor("sparcv9")).isEmpty();
    }
}
