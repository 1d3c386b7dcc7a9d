package dev.berth.runtime.seccomp;

import dev.berth.oci.runtime.SpecException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The system-call ABIs the compiler knows, by their libseccomp names as used in
 * {@code linux.seccomp.architectures}.
 *
 * <p>{@code auditArch} is what the kernel puts in {@code seccomp_data.arch} (AUDIT_ARCH_* from
 * linux/audit.h: the ELF machine, plus 0x80000000 for 64-bit and 0x40000000 for little endian).
 * x32 shares AUDIT_ARCH_X86_64 with x86_64; the kernel tells them apart only by bit 30 of the
 * syscall number (__X32_SYSCALL_BIT), which is why the compiler tests that bit.
 *
 * <p>{@code wideArgs} says whether an argument can use all 64 bits of {@code seccomp_data.args[i]}.
 * libseccomp compares only the low 32 bits on ABIs it calls 32-bit (x86, arm and x32, whose
 * {@code long} is 32 bits), and so do we, so that a profile means the same as under runc.
 */
public enum SeccompArch {
    X86_64("SCMP_ARCH_X86_64", 0xC000003E, "x86_64", true),
    X86("SCMP_ARCH_X86", 0x40000003, "x86", false),
    X32("SCMP_ARCH_X32", 0xC000003E, "x32", false),
    AARCH64("SCMP_ARCH_AARCH64", 0xC00000B7, "aarch64", true),
    ARM("SCMP_ARCH_ARM", 0x40000028, "arm", false);

    /** Set in seccomp_data.nr by x32 system calls (arch/x86/include/uapi/asm/unistd.h). */
    static final int X32_SYSCALL_BIT = 0x40000000;

    /** Names libseccomp knows that we have no syscall table for. */
    private static final Set<String> KNOWN_UNSUPPORTED = Set.of(
            "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
            "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
            "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC",
            "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
            "SCMP_ARCH_SH", "SCMP_ARCH_SHEB");

    private final String scmpName;
    private final int auditArch;
    private final String tableName;
    private final boolean wideArgs;

    SeccompArch(String scmpName, int auditArch, String tableName, boolean wideArgs) {
        this.scmpName = scmpName;
        this.auditArch = auditArch;
        this.tableName = tableName;
        this.wideArgs = wideArgs;
    }

    public String scmpName() {
        return scmpName;
    }

    public int auditArch() {
        return auditArch;
    }

    String tableName() {
        return tableName;
    }

    boolean wideArgs() {
        return wideArgs;
    }

    /** Parses an entry of {@code linux.seccomp.architectures}; {@code field} names it in errors. */
    static SeccompArch parse(String name, String field) {
        if (name == null) {
            throw new SpecException(field + ": architecture must not be null");
        }
        for (SeccompArch arch : values()) {
            if (arch.scmpName.equals(name)) {
                return arch;
            }
        }
        if (KNOWN_UNSUPPORTED.contains(name)) {
            throw new SpecException(field + ": architecture " + name + " is not supported by berth"
                    + " (supported: " + supportedNames() + ")");
        }
        throw new SpecException(field + ": unknown architecture \"" + name + "\" (supported: "
                + supportedNames() + ")");
    }

    /** The ABI of the JVM's own process, which is the one the container's processes start in. */
    public static SeccompArch host() {
        String osArch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return hostFor(osArch).orElseThrow(() -> new SpecException(
                "linux.seccomp: host architecture \"" + osArch + "\" is not supported by berth's seccomp compiler"));
    }

    static Optional<SeccompArch> hostFor(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> Optional.of(X86_64);
            case "x86", "i386", "i486", "i586", "i686" -> Optional.of(X86);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            case "arm", "armv7l", "armhf" -> Optional.of(ARM);
            default -> Optional.empty();
        };
    }

    private static String supportedNames() {
        StringBuilder sb = new StringBuilder();
        for (SeccompArch arch : values()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(arch.scmpName);
        }
        return sb.toString();
    }
}
