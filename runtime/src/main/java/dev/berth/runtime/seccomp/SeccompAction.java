package dev.berth.runtime.seccomp;

import dev.berth.oci.runtime.SpecException;

/**
 * Turns an OCI action name ({@code SCMP_ACT_*}) into the 32-bit value a seccomp filter returns
 * (SECCOMP_RET_* in the top 16 bits, data in the low 16), as described in the kernel's
 * Documentation/userspace-api/seccomp_filter.rst, "Return values".
 */
final class SeccompAction {
    static final int RET_KILL_PROCESS = 0x80000000;
    static final int RET_KILL_THREAD = 0x00000000;
    static final int RET_TRAP = 0x00030000;
    static final int RET_ERRNO = 0x00050000;
    static final int RET_TRACE = 0x7FF00000;
    static final int RET_LOG = 0x7FFC0000;
    static final int RET_ALLOW = 0x7FFF0000;

    /** What libseccomp returns for a system call of an ABI the filter was not built for. */
    static final int BAD_ARCH = RET_KILL_THREAD;

    /** runc's default data for SCMP_ACT_ERRNO and SCMP_ACT_TRACE when errnoRet is absent. */
    private static final int EPERM = 1;
    /** The kernel turns larger errno values into -MAX_ERRNO anyway (include/linux/err.h). */
    private static final int MAX_ERRNO = 4095;

    private SeccompAction() {
    }

    /**
     * @param name       the action, e.g. {@code SCMP_ACT_ERRNO}
     * @param errnoRet   the data for ERRNO and TRACE, or null for EPERM; ignored by other
     *                   actions, as runc ignores it
     * @param field      the config path of {@code name}, for errors
     * @param errnoField the config path of {@code errnoRet}, for errors
     */
    static int parse(String name, Integer errnoRet, String field, String errnoField) {
        if (name == null) {
            throw new SpecException(field + ": an action is required");
        }
        return switch (name) {
            case "SCMP_ACT_ALLOW" -> RET_ALLOW;
            case "SCMP_ACT_LOG" -> RET_LOG;
            // libseccomp: SCMP_ACT_KILL is the historical name of SCMP_ACT_KILL_THREAD.
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> RET_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> RET_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> RET_TRAP;
            case "SCMP_ACT_ERRNO" -> RET_ERRNO | errno(errnoRet, errnoField, MAX_ERRNO);
            // The data of SECCOMP_RET_TRACE goes to the tracer (PTRACE_GETEVENTMSG), so all 16 bits are usable.
            case "SCMP_ACT_TRACE" -> RET_TRACE | errno(errnoRet, errnoField, 0xFFFF);
            case "SCMP_ACT_NOTIFY" -> throw new SpecException(field
                    + ": SCMP_ACT_NOTIFY is not supported by berth (no seccomp user-notification listener)");
            default -> throw new SpecException(field + ": unknown action \"" + name + "\"");
        };
    }

    private static int errno(Integer errnoRet, String errnoField, int max) {
        if (errnoRet == null) {
            return EPERM;
        }
        if (errnoRet < 0 || errnoRet > max) {
            throw new SpecException(errnoField + ": must be between 0 and " + max + ", got " + errnoRet);
        }
        return errnoRet;
    }
}
