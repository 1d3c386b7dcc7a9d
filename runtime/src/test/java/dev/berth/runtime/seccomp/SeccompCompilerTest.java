package dev.berth.runtime.seccomp;

import static dev.berth.runtime.seccomp.Profiles.ALLOW;
import static dev.berth.runtime.seccomp.Profiles.KILL_PROCESS;
import static dev.berth.runtime.seccomp.Profiles.KILL_THREAD;
import static dev.berth.runtime.seccomp.Profiles.arg;
import static dev.berth.runtime.seccomp.Profiles.decide;
import static dev.berth.runtime.seccomp.Profiles.errno;
import static dev.berth.runtime.seccomp.Profiles.masked;
import static dev.berth.runtime.seccomp.Profiles.nr;
import static dev.berth.runtime.seccomp.Profiles.profile;
import static dev.berth.runtime.seccomp.Profiles.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Spec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompCompilerTest {
    private static final SeccompArch X86_64 = SeccompArch.X86_64;

    private static SeccompProgram compile(Spec.Seccomp seccomp) {
        return SeccompCompiler.compile(seccomp, X86_64);
    }

    @Test
    void defaultActionAppliesToCallsNoRuleNames() {
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO", rule("SCMP_ACT_ALLOW", "read", "write")));
        assertThat(decide(p, X86_64, "read")).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "write")).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "mount")).isEqualTo(errno(1));
        assertThat(BpfInterpreter.run(p.filter(), X86_64.auditArch(), 100_000)).isEqualTo(errno(1));
        assertThat(BpfInterpreter.run(p.filter(), X86_64.auditArch(), -1)).isEqualTo(KILL_THREAD); // has the x32 bit
        assertThat(p.instructionCount()).isEqualTo(p.filter().length / 8);
        assertThat(p.flags()).isZero();
    }

    @Test
    void emptyOrAbsentSyscallListGivesTheDefaultForEverything() {
        SeccompProgram none = compile(new Spec.Seccomp("SCMP_ACT_ALLOW", null, null, null, null, null, null));
        assertThat(decide(none, X86_64, "reboot")).isEqualTo(ALLOW);
        SeccompProgram empty = compile(profile("SCMP_ACT_KILL_PROCESS"));
        assertThat(decide(empty, X86_64, "read")).isEqualTo(KILL_PROCESS);
    }

    @Test
    void errnoUsesErrnoRetAndDefaultErrnoRet() {
        Spec.Seccomp seccomp = new Spec.Seccomp("SCMP_ACT_ERRNO", 38, null, null, null, null, List.of(
                rule("SCMP_ACT_ERRNO", 13, null, "mkdir"),
                rule("SCMP_ACT_ERRNO", (Integer) null, null, "rmdir"),
                rule("SCMP_ACT_ALLOW", "read")));
        SeccompProgram p = compile(seccomp);
        assertThat(decide(p, X86_64, "mkdir")).isEqualTo(errno(13));
        assertThat(decide(p, X86_64, "rmdir")).isEqualTo(errno(1)); // EPERM, as runc
        assertThat(decide(p, X86_64, "chdir")).isEqualTo(errno(38));
    }

    @Test
    void everyActionHasItsKernelValue() {
        SeccompProgram p = compile(profile("SCMP_ACT_ALLOW",
                rule("SCMP_ACT_KILL", "chroot"),
                rule("SCMP_ACT_KILL_THREAD", "pivot_root"),
                rule("SCMP_ACT_KILL_PROCESS", "reboot"),
                rule("SCMP_ACT_TRAP", "mount"),
                rule("SCMP_ACT_TRACE", "umount2"),
                rule("SCMP_ACT_TRACE", 1234, null, "swapon"),
                rule("SCMP_ACT_LOG", "ptrace")));
        assertThat(decide(p, X86_64, "chroot")).isEqualTo(0);
        assertThat(decide(p, X86_64, "pivot_root")).isEqualTo(0);
        assertThat(decide(p, X86_64, "reboot")).isEqualTo(0x80000000);
        assertThat(decide(p, X86_64, "mount")).isEqualTo(0x00030000);
        assertThat(decide(p, X86_64, "umount2")).isEqualTo(0x7FF00000 | 1);
        assertThat(decide(p, X86_64, "swapon")).isEqualTo(0x7FF00000 | 1234);
        assertThat(decide(p, X86_64, "ptrace")).isEqualTo(0x7FFC0000);
        assertThat(decide(p, X86_64, "read")).isEqualTo(ALLOW);
    }

    @Test
    void flagsBecomeFilterFlagBits() {
        Spec.Seccomp seccomp = new Spec.Seccomp("SCMP_ACT_ALLOW", null, null,
                List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"),
                null, null, null);
        assertThat(compile(seccomp).flags()).isEqualTo(7);
    }

    @Test
    void argumentsAreCompared64BitUnsignedForEveryOperator() {
        long[] values = {0, 1, 5, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L, 0x1_0000_0005L,
            0x2_0000_0004L, 0x7FFF_FFFF_FFFF_FFFFL, 0x8000_0000_0000_0000L, 0xFFFF_FFFF_0000_0000L, -2, -1};
        String[] ops = {"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT"};
        for (String op : ops) {
            for (long threshold : values) {
                SeccompProgram p = compile(profile("SCMP_ACT_ERRNO",
                        rule("SCMP_ACT_ALLOW", null, List.of(arg(2, op, threshold)), "read")));
                for (long a : values) {
                    int cmp = Long.compareUnsigned(a, threshold);
                    boolean expected = switch (op) {
                        case "SCMP_CMP_NE" -> cmp != 0;
                        case "SCMP_CMP_LT" -> cmp < 0;
                        case "SCMP_CMP_LE" -> cmp <= 0;
                        case "SCMP_CMP_EQ" -> cmp == 0;
                        case "SCMP_CMP_GE" -> cmp >= 0;
                        default -> cmp > 0;
                    };
                    assertThat(decide(p, X86_64, "read", 0, 0, a))
                            .as("%s arg=%x threshold=%x", op, a, threshold)
                            .isEqualTo(expected ? ALLOW : errno(1));
                }
            }
        }
    }

    @Test
    void highWordDecidesEquality() {
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO",
                rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", 0x1_0000_0005L)), "read")));
        assertThat(decide(p, X86_64, "read", 0x1_0000_0005L)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "read", 5)).isEqualTo(errno(1));
        assertThat(decide(p, X86_64, "read", 0x2_0000_0005L)).isEqualTo(errno(1));
    }

    @Test
    void maskedEqualTestsTheMaskedBits() {
        // Docker's clone rule: allow clone unless it asks for a new namespace (CLONE_NEW* = 0x7E020000).
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO",
                rule("SCMP_ACT_ALLOW", null, List.of(masked(0, 0x7E020000L, 0)), "clone"),
                rule("SCMP_ACT_ALLOW", null, List.of(masked(1, 0xFF00_0000_0000_FF00L, 0x1200_0000_0000_3400L)), "ioctl")));
        assertThat(decide(p, X86_64, "clone", 0x01200011L)).isEqualTo(ALLOW);      // fork-like flags
        assertThat(decide(p, X86_64, "clone", 0x10000000L)).isEqualTo(errno(1));   // CLONE_NEWUSER
        assertThat(decide(p, X86_64, "clone", 0xFFFF_FFFF_0000_0011L)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "ioctl", 0, 0x12AB_CDEF_0000_34FFL)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "ioctl", 0, 0x13AB_CDEF_0000_34FFL)).isEqualTo(errno(1));
        assertThat(decide(p, X86_64, "ioctl", 0, 0x12AB_CDEF_0000_35FFL)).isEqualTo(errno(1));
    }

    @Test
    void conditionsOnDifferentArgumentsAreAnded() {
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO", rule("SCMP_ACT_ALLOW", null, List.of(
                arg(0, "SCMP_CMP_EQ", 2), arg(1, "SCMP_CMP_EQ", 1), arg(2, "SCMP_CMP_LE", 6)), "socket")));
        assertThat(decide(p, X86_64, "socket", 2, 1, 6)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "socket", 2, 1, 7)).isEqualTo(errno(1));
        assertThat(decide(p, X86_64, "socket", 2, 2, 6)).isEqualTo(errno(1));
        assertThat(decide(p, X86_64, "socket", 10, 1, 6)).isEqualTo(errno(1));
    }

    @Test
    void repeatedArgumentIndexIsOredAsInRunc() {
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO", rule("SCMP_ACT_ALLOW", null, List.of(
                arg(0, "SCMP_CMP_EQ", 0), arg(0, "SCMP_CMP_EQ", 8)), "personality")));
        assertThat(decide(p, X86_64, "personality", 0)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "personality", 8)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "personality", 1)).isEqualTo(errno(1));
    }

    @Test
    void firstMatchingRuleWins() {
        SeccompProgram p = compile(profile("SCMP_ACT_KILL_PROCESS",
                rule("SCMP_ACT_ERRNO", 10, List.of(arg(0, "SCMP_CMP_EQ", 1)), "read"),
                rule("SCMP_ACT_ERRNO", 20, List.of(arg(0, "SCMP_CMP_LE", 5)), "read"),
                rule("SCMP_ACT_ALLOW", "read"),
                rule("SCMP_ACT_ERRNO", 30, null, "read"))); // never reached
        assertThat(decide(p, X86_64, "read", 1)).isEqualTo(errno(10));
        assertThat(decide(p, X86_64, "read", 3)).isEqualTo(errno(20));
        assertThat(decide(p, X86_64, "read", 9)).isEqualTo(ALLOW);
    }

    @Test
    void ruleEqualToTheDefaultStillShadowsLaterRules() {
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO",
                rule("SCMP_ACT_ERRNO", null, List.of(arg(0, "SCMP_CMP_EQ", 40)), "socket"),
                rule("SCMP_ACT_ALLOW", "socket"),
                rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", 1)), "write"),
                rule("SCMP_ACT_ERRNO", null, List.of(arg(0, "SCMP_CMP_EQ", 2)), "write")));
        assertThat(decide(p, X86_64, "socket", 40)).isEqualTo(errno(1));
        assertThat(decide(p, X86_64, "socket", 2)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "write", 1)).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "write", 2)).isEqualTo(errno(1));
        assertThat(decide(p, X86_64, "write", 3)).isEqualTo(errno(1));
    }

    @Test
    void unknownSyscallNamesAreSkipped() {
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO",
                rule("SCMP_ACT_ALLOW", "no_such_call", "read", "socketcall"))); // socketcall is i386 only
        assertThat(decide(p, X86_64, "read")).isEqualTo(ALLOW);
        assertThat(decide(p, X86_64, "write")).isEqualTo(errno(1));
    }

    @Test
    void callsFromAnotherAbiAreKilled() {
        SeccompProgram p = compile(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "mount")));
        assertThat(BpfInterpreter.run(p.filter(), SeccompArch.AARCH64.auditArch(), 0)).isEqualTo(KILL_THREAD);
        assertThat(BpfInterpreter.run(p.filter(), SeccompArch.X86.auditArch(), 3)).isEqualTo(KILL_THREAD);
        assertThat(decide(p, X86_64, "read")).isEqualTo(ALLOW);
    }

    @Test
    void listedAbisUseTheirOwnNumbers() {
        SeccompProgram p = compile(profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"),
                rule("SCMP_ACT_ALLOW", "read", "socketcall")));
        assertThat(decide(p, SeccompArch.X86, "read")).isEqualTo(ALLOW);       // 3 on i386
        assertThat(decide(p, SeccompArch.X86, "socketcall")).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(p.filter(), SeccompArch.X86.auditArch(), 0)).isEqualTo(errno(1)); // restart_syscall
        assertThat(decide(p, X86_64, "read")).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(p.filter(), X86_64.auditArch(), 3)).isEqualTo(errno(1)); // close on x86_64
    }

    @Test
    void x32CallsAreKilledUnlessX32IsListed() {
        Spec.Syscall allowRead = rule("SCMP_ACT_ALLOW", "read", "rt_sigaction");
        SeccompProgram without = compile(profile("SCMP_ACT_ERRNO", allowRead));
        assertThat(decide(without, SeccompArch.X32, "read")).isEqualTo(KILL_THREAD);
        assertThat(decide(without, X86_64, "read")).isEqualTo(ALLOW);

        SeccompProgram with = compile(profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_X32"), allowRead));
        assertThat(decide(with, SeccompArch.X32, "read")).isEqualTo(ALLOW);
        assertThat(decide(with, SeccompArch.X32, "rt_sigaction")).isEqualTo(ALLOW); // 512 | x32 bit
        assertThat(decide(with, SeccompArch.X32, "write")).isEqualTo(errno(1));
        // x86_64's rt_sigaction (13) with the x32 bit is not an x32 rt_sigaction.
        assertThat(BpfInterpreter.run(with.filter(), X86_64.auditArch(), 13 | 0x40000000)).isEqualTo(errno(1));
        assertThat(decide(with, X86_64, "rt_sigaction")).isEqualTo(ALLOW);
    }

    @Test
    void thirtyTwoBitAbisCompareOnlyTheLowWordAsLibseccomp() {
        SeccompProgram p = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO",
                rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_EQ", 0x1_0000_0005L)), "read"),
                rule("SCMP_ACT_ALLOW", null, List.of(arg(0, "SCMP_CMP_GT", 0xFFFF_FFFF_0000_0010L)), "write")),
                SeccompArch.X86);
        assertThat(decide(p, SeccompArch.X86, "read", 5)).isEqualTo(ALLOW);
        assertThat(decide(p, SeccompArch.X86, "read", 6)).isEqualTo(errno(1));
        assertThat(decide(p, SeccompArch.X86, "write", 0x11)).isEqualTo(ALLOW);
        assertThat(decide(p, SeccompArch.X86, "write", 0x10)).isEqualTo(errno(1));
    }

    @Test
    void armAndAarch64() {
        SeccompProgram p = SeccompCompiler.compile(profile("SCMP_ACT_ERRNO", List.of("SCMP_ARCH_ARM"),
                rule("SCMP_ACT_ALLOW", "openat", "cacheflush"),
                rule("SCMP_ACT_ALLOW", null, List.of(arg(1, "SCMP_CMP_GE", 0x1_0000_0000L)), "mmap")),
                SeccompArch.AARCH64);
        assertThat(decide(p, SeccompArch.AARCH64, "openat")).isEqualTo(ALLOW);
        assertThat(decide(p, SeccompArch.AARCH64, "mmap", 0, 0x1_0000_0000L)).isEqualTo(ALLOW);
        assertThat(decide(p, SeccompArch.AARCH64, "mmap", 0, 0xFFFF_FFFFL)).isEqualTo(errno(1));
        assertThat(decide(p, SeccompArch.ARM, "openat")).isEqualTo(ALLOW);
        assertThat(decide(p, SeccompArch.ARM, "cacheflush")).isEqualTo(ALLOW);
        assertThat(BpfInterpreter.run(p.filter(), X86_64.auditArch(), 56)).isEqualTo(KILL_THREAD);
    }

    @Test
    void longRuleBlocksStillReachEveryRule() {
        // 120 rules on one call: about 600 instructions, far more than an 8-bit jump can cross.
        List<Spec.Syscall> calls = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            calls.add(rule("SCMP_ACT_ERRNO", 100 + i, List.of(arg(0, "SCMP_CMP_EQ", i), arg(1, "SCMP_CMP_NE", 7)), "ioctl"));
        }
        calls.add(rule("SCMP_ACT_ALLOW", "read", "write", "close"));
        SeccompProgram p = compile(profile("SCMP_ACT_KILL_PROCESS", calls.toArray(Spec.Syscall[]::new)));
        assertThat(p.instructionCount()).isGreaterThan(600);
        for (int i = 0; i < 120; i++) {
            assertThat(decide(p, X86_64, "ioctl", i, 0)).isEqualTo(errno(100 + i));
            assertThat(decide(p, X86_64, "ioctl", i, 7)).isEqualTo(KILL_PROCESS);
        }
        assertThat(decide(p, X86_64, "ioctl", 120, 0)).isEqualTo(KILL_PROCESS);
        assertThat(decide(p, X86_64, "close")).isEqualTo(ALLOW);
    }

    @Test
    void everyNumberGoesWhereItsRuleSays() {
        // Alternate targets so that ranges cannot merge, to exercise every branch of the search.
        SeccompProgram p = compile(profile("SCMP_ACT_KILL_PROCESS", evenOdd().toArray(Spec.Syscall[]::new)));
        SyscallTable table = SyscallTable.of(X86_64);
        table.all().forEach((name, n) -> assertThat(BpfInterpreter.run(p.filter(), X86_64.auditArch(), n))
                .as(name).isEqualTo(n % 2 == 0 ? ALLOW : errno(n % 4096)));
        for (int n = 0; n < 600; n++) {
            if (!table.all().containsValue(n)) {
                assertThat(BpfInterpreter.run(p.filter(), X86_64.auditArch(), n)).isEqualTo(KILL_PROCESS);
            }
        }
    }

    private static List<Spec.Syscall> evenOdd() {
        List<Spec.Syscall> calls = new ArrayList<>();
        SyscallTable.of(X86_64).all().forEach((name, n) -> calls.add(n % 2 == 0
                ? rule("SCMP_ACT_ALLOW", name)
                : rule("SCMP_ACT_ERRNO", n % 4096, null, name)));
        return calls;
    }

    @Test
    void filterStartsByCheckingTheArchitecture() {
        SeccompProgram p = compile(profile("SCMP_ACT_ALLOW"));
        int[][] insns = BpfInterpreter.verify(p.filter());
        assertThat(insns[0]).containsExactly(0x20, 0, 0, 4);
        assertThat(insns[1][0]).isEqualTo(0x15);
        assertThat(insns[1][3]).isEqualTo(0xC000003E);
        assertThat(nr(X86_64, "read")).isZero();
    }
}
