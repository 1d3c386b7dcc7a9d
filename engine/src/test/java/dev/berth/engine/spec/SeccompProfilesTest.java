package dev.berth.engine.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.seccomp.SeccompArch;
import dev.berth.runtime.seccomp.SeccompCompiler;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** docker's seccomp profile format resolved into OCI linux.seccomp for one container, as moby does it. */
class SeccompProfilesTest {
    private static final SeccompProfiles.Host AMD64 = new SeccompProfiles.Host("amd64", "6.18.0-1-amd64");
    private static final List<String> DOCKER_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    private static Optional<Spec.Syscall> rule(Spec.Seccomp s, String name) {
        return s.syscalls().stream().filter(r -> r.names().contains(name)).findFirst();
    }

    private static List<Spec.Syscall> rules(Spec.Seccomp s, String name) {
        return s.syscalls().stream().filter(r -> r.names().contains(name)).toList();
    }

    @Test
    void theDefaultProfileForDockersDefaultCapabilities() {
        Spec.Seccomp s = SeccompProfiles.defaultFor(DOCKER_CAPS, AMD64);
        assertThat(s.defaultAction()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(s.defaultErrnoRet()).isEqualTo(1);
        // archMap: the x86_64 entry, with the 32-bit ABIs an x86_64 process can also call through.
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(rule(s, "read")).get().extracting(Spec.Syscall::action).isEqualTo("SCMP_ACT_ALLOW");
        // Capability-conditioned: no CAP_SYS_ADMIN, so no mount/unshare/setns; CAP_SYS_CHROOT is held, so chroot.
        assertThat(rule(s, "mount")).isEmpty();
        assertThat(rule(s, "unshare")).isEmpty();
        assertThat(rule(s, "setns")).isEmpty();
        assertThat(rule(s, "chroot")).isPresent();
        assertThat(rule(s, "reboot")).isEmpty();
        // Architecture-conditioned: arch_prctl and modify_ldt for amd64, nothing of arm's or s390's.
        assertThat(rule(s, "arch_prctl")).isPresent();
        assertThat(rule(s, "modify_ldt")).isPresent();
        assertThat(rule(s, "set_tls")).isEmpty();
        assertThat(rule(s, "s390_runtime_instr")).isEmpty();
        // Kernel-conditioned: ptrace from 4.8 on.
        assertThat(rule(s, "ptrace")).isPresent();
        assertThat(rule(SeccompProfiles.defaultFor(DOCKER_CAPS, new SeccompProfiles.Host("amd64", "4.4.0")), "ptrace")).isEmpty();
        // clone only without namespace flags (the s390 variant, with flags second, is not for amd64); clone3 is ENOSYS.
        List<Spec.Syscall> clone = rules(s, "clone");
        assertThat(clone).hasSize(1);
        assertThat(clone.getFirst().args()).containsExactly(new Spec.SyscallArg(0, 2114060288L, null, "SCMP_CMP_MASKED_EQ"));
        Spec.Syscall clone3 = rule(s, "clone3").orElseThrow();
        assertThat(clone3.action()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(clone3.errnoRet()).isEqualTo(38);
        // personality: only the five values docker lets through.
        assertThat(rules(s, "personality")).flatExtracting(Spec.Syscall::args).extracting(Spec.SyscallArg::value)
                .containsExactly(0L, 8L, 131072L, 131080L, 4294967295L);
        assertThat(rule(s, "socket").orElseThrow().args()).containsExactly(new Spec.SyscallArg(0, 40L, null, "SCMP_CMP_NE"));
    }

    @Test
    void sysAdminBringsMountAndUnrestrictedClone() {
        Spec.Seccomp s = SeccompProfiles.defaultFor(List.of("CAP_SYS_ADMIN", "CAP_SYS_PTRACE"), AMD64);
        assertThat(rule(s, "mount")).isPresent();
        assertThat(rule(s, "unshare")).isPresent();
        List<Spec.Syscall> clone = rules(s, "clone");
        assertThat(clone).hasSize(1);
        assertThat(clone.getFirst().args()).isNull();
        assertThat(rules(s, "clone3")).extracting(Spec.Syscall::action).containsExactly("SCMP_ACT_ALLOW");
        assertThat(rule(s, "kcmp")).isPresent();
    }

    @Test
    void onArm64TheArmEntryOfTheArchMapApplies() {
        Spec.Seccomp s = SeccompProfiles.defaultFor(DOCKER_CAPS, new SeccompProfiles.Host("arm64", "6.1"));
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        assertThat(rule(s, "set_tls")).isPresent();
        assertThat(rule(s, "arch_prctl")).isEmpty();
    }

    @Test
    void theDefaultProfileCompilesWithinTheKernelsLimit() {
        for (List<String> caps : List.of(DOCKER_CAPS, List.of("CAP_SYS_ADMIN"))) {
            var program = SeccompCompiler.compile(SeccompProfiles.defaultFor(caps, AMD64), SeccompArch.X86_64);
            assertThat(program.instructionCount()).isBetween(100, SeccompCompiler.BPF_MAXINSNS);
        }
    }

    @Test
    void aUserProfileInDockersFormat() {
        Spec.Seccomp s = SeccompProfiles.parse("""
                {"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
                 "syscalls":[{"name":"mkdir","action":"SCMP_ACT_ERRNO","comment":"one name"},
                             {"names":["chmod"],"action":"SCMP_ACT_ERRNO","excludes":{"caps":["CAP_FOWNER"]}},
                             {"names":["kill"],"action":"SCMP_ACT_ERRNO","excludes":{"arches":["amd64"]}}]}""", DOCKER_CAPS, AMD64);
        assertThat(s.architectures()).containsExactly("SCMP_ARCH_X86_64");
        assertThat(s.syscalls()).extracting(Spec.Syscall::names).containsExactly(List.of("mkdir"));
        assertThatThrownBy(() -> SeccompProfiles.parse("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
                + "\"archMap\":[{\"architecture\":\"SCMP_ARCH_X86_64\"}]}", DOCKER_CAPS, AMD64))
                .hasMessageContaining("both 'architectures' and 'archMap' are specified in the seccomp profile");
        assertThatThrownBy(() -> SeccompProfiles.parse("{\"syscalls\":[{\"name\":\"a\",\"names\":[\"b\"]}]}", DOCKER_CAPS, AMD64))
                .hasMessage("'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'");
        assertThatThrownBy(() -> SeccompProfiles.parse("{not json", DOCKER_CAPS, AMD64))
                .hasMessageStartingWith("decoding seccomp profile failed: ");
    }
}
