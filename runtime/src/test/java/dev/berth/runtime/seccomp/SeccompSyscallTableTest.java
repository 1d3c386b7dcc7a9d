package dev.berth.runtime.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeccompSyscallTableTest {
    @Test
    void numbersMatchTheKernelHeadersOfEachAbi() {
        assertThat(Profiles.nr(SeccompArch.X86_64, "read")).isZero();
        assertThat(Profiles.nr(SeccompArch.X86_64, "openat")).isEqualTo(257);
        assertThat(Profiles.nr(SeccompArch.X86_64, "clone3")).isEqualTo(435);
        assertThat(Profiles.nr(SeccompArch.X86, "read")).isEqualTo(3);
        assertThat(Profiles.nr(SeccompArch.X86, "socketcall")).isEqualTo(102);
        assertThat(Profiles.nr(SeccompArch.X32, "read")).isEqualTo(0x40000000);
        assertThat(Profiles.nr(SeccompArch.X32, "rt_sigaction")).isEqualTo(0x40000000 + 512);
        assertThat(Profiles.nr(SeccompArch.AARCH64, "openat")).isEqualTo(56);
        assertThat(Profiles.nr(SeccompArch.AARCH64, "mmap")).isEqualTo(222);
        assertThat(Profiles.nr(SeccompArch.ARM, "openat")).isEqualTo(322);
        assertThat(Profiles.nr(SeccompArch.ARM, "breakpoint")).isEqualTo(0x0f0001);
    }

    @Test
    void callsAddedAfterTheHeadersShareOneNumberAcrossAbis() {
        for (SeccompArch arch : SeccompArch.values()) {
            int base = arch == SeccompArch.X32 ? SeccompArch.X32_SYSCALL_BIT : 0;
            assertThat(Profiles.nr(arch, "cachestat")).isEqualTo(base + 451);
            assertThat(Profiles.nr(arch, "fchmodat2")).isEqualTo(base + 452);
            assertThat(Profiles.nr(arch, "listns")).isEqualTo(base + 470);
        }
    }

    @Test
    void legacyCallsExistOnlyWhereTheAbiHasThem() {
        assertThat(SyscallTable.of(SeccompArch.AARCH64).number("open")).isEmpty();
        assertThat(SyscallTable.of(SeccompArch.X86_64).number("socketcall")).isEmpty();
        assertThat(SyscallTable.of(SeccompArch.X86_64).all()).hasSizeGreaterThan(370);
    }
}
