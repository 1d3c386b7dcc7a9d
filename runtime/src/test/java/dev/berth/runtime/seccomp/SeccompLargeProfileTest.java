package dev.berth.runtime.seccomp;

import static dev.berth.runtime.seccomp.Profiles.ALLOW;
import static dev.berth.runtime.seccomp.Profiles.KILL_THREAD;
import static dev.berth.runtime.seccomp.Profiles.arg;
import static dev.berth.runtime.seccomp.Profiles.decide;
import static dev.berth.runtime.seccomp.Profiles.errno;
import static dev.berth.runtime.seccomp.Profiles.masked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A profile shaped like Docker's default: some 400 names allowed outright for x86_64, i386 and
 * x32 together, a few calls allowed only for some arguments, clone3 answering ENOSYS, and the
 * rest EPERM.
 */
class SeccompLargeProfileTest {
    /** Calls Docker's profile leaves to the default or to argument rules. */
    private static final Set<String> NOT_ALLOWED_OUTRIGHT = Set.of("mount", "umount2", "reboot", "kexec_load",
            "init_module", "ptrace", "personality", "clone", "clone3", "socket", "unshare", "setns", "bpf",
            "perf_event_open", "swapon", "chroot", "pivot_root", "open_by_handle_at");

    private static final List<String> ARCHES = List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");

    private static Spec.Seccomp dockerLike() {
        Set<String> names = new TreeSet<>();
        for (SeccompArch arch : List.of(SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32)) {
            names.addAll(SyscallTable.of(arch).all().keySet());
        }
        names.removeAll(NOT_ALLOWED_OUTRIGHT);
        List<String> allowed = new ArrayList<>(names).subList(0, 400);
        List<Spec.Syscall> calls = new ArrayList<>();
        calls.add(new Spec.Syscall(allowed, "SCMP_ACT_ALLOW", null, null));
        for (long persona : new long[] {0, 8, 0x20000, 0x20008, 0xFFFF_FFFFL}) {
            calls.add(new Spec.Syscall(List.of("personality"), "SCMP_ACT_ALLOW", null,
                    List.of(arg(0, "SCMP_CMP_EQ", persona))));
        }
        calls.add(new Spec.Syscall(List.of("clone"), "SCMP_ACT_ALLOW", null, List.of(masked(0, 0x7E020000L, 0))));
        calls.add(new Spec.Syscall(List.of("clone3"), "SCMP_ACT_ERRNO", 38, null));
        calls.add(new Spec.Syscall(List.of("socket"), "SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_NE", 40))));
        return new Spec.Seccomp("SCMP_ACT_ERRNO", 1, ARCHES, null, null, null, calls);
    }

    @Test
    void compilesWellUnderTheKernelLimitAndDecidesEveryCall() {
        Spec.Seccomp seccomp = dockerLike();
        SeccompProgram p = SeccompCompiler.compile(seccomp, SeccompArch.X86_64);
        assertThat(p.instructionCount()).isLessThan(SeccompCompiler.BPF_MAXINSNS);
        BpfInterpreter.verify(p.filter());

        Set<String> allowed = Set.copyOf(seccomp.syscalls().getFirst().names());
        for (SeccompArch arch : List.of(SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32)) {
            SyscallTable.of(arch).all().forEach((name, nr) -> {
                if (Set.of("personality", "clone", "clone3", "socket").contains(name)) {
                    return;
                }
                // Aliases (two names, one number) are allowed if either name is.
                boolean expected = SyscallTable.of(arch).all().entrySet().stream()
                        .anyMatch(e -> e.getValue().equals(nr) && allowed.contains(e.getKey()));
                assertThat(decide(p, arch, name)).as("%s %s", arch, name).isEqualTo(expected ? ALLOW : errno(1));
            });
            assertThat(decide(p, arch, "personality", 8)).isEqualTo(ALLOW);
            assertThat(decide(p, arch, "personality", 0xFFFF_FFFFL)).isEqualTo(ALLOW);
            assertThat(decide(p, arch, "personality", 4)).isEqualTo(errno(1));
            assertThat(decide(p, arch, "clone", 0x01200011L)).isEqualTo(ALLOW);
            assertThat(decide(p, arch, "clone", 0x20000000L)).isEqualTo(errno(1)); // CLONE_NEWPID
            assertThat(decide(p, arch, "clone3")).isEqualTo(errno(38));
            assertThat(decide(p, arch, "socket", 2)).isEqualTo(ALLOW);
            assertThat(decide(p, arch, "socket", 40)).isEqualTo(errno(1));
        }
        assertThat(BpfInterpreter.run(p.filter(), SeccompArch.AARCH64.auditArch(), 63)).isEqualTo(KILL_THREAD);
    }
}
