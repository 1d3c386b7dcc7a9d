package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * The bpf(2) commands that load an eBPF program and attach it to a cgroup (man 2 bpf;
 * include/uapi/linux/bpf.h for {@code union bpf_attr}; Documentation/bpf/prog_cgroup_*.rst).
 * Only what cgroup device filters need: PROG_LOAD, PROG_ATTACH, PROG_DETACH, PROG_QUERY and
 * PROG_GET_FD_BY_ID. Every program and cgroup is held by an {@link Fd}, which the caller closes.
 *
 * <p>glibc has no bpf() wrapper, so the call goes through syscall(2) with the architecture's
 * number. Each command gets a zeroed {@code union bpf_attr} of {@link #ATTR_SIZE} bytes: the
 * kernel copies min(size, its own sizeof) and requires whatever lies past the fields a command
 * uses to be zero (CHECK_ATTR in kernel/bpf/syscall.c), which a zeroed buffer is on old and new
 * kernels alike.
 */
public final class Bpf {
    /** enum bpf_prog_type: a program that decides device access for a cgroup (since 4.15). */
    public static final int PROG_TYPE_CGROUP_DEVICE = 15;
    /** enum bpf_attach_type for device programs. */
    public static final int ATTACH_CGROUP_DEVICE = 6;
    /** Attach flags (bpf.h): how programs on a cgroup and its descendants combine. */
    public static final int F_ALLOW_OVERRIDE = 1, F_ALLOW_MULTI = 2, F_REPLACE = 4;

    // enum bpf_cmd
    private static final int PROG_LOAD = 5, PROG_ATTACH = 8, PROG_DETACH = 9, PROG_GET_FD_BY_ID = 13, PROG_QUERY = 16;

    private static final int ENOSYS = 38;
    private static final long ATTR_SIZE = 128;
    private static final int INSN_SIZE = 8;
    /** BPF_OBJ_NAME_LEN, the NUL included. */
    private static final int NAME_LEN = 16;
    /** Room for the verifier's log of a rejected program; the tail, which says why, is what we keep. */
    private static final int LOG_SIZE = 1 << 20;
    private static final int LOG_KEPT = 4000;

    /** __NR_bpf (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h). */
    private static final long SYS_BPF = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 321;
        case "aarch64", "riscv64", "loongarch64" -> 280;
        case "ppc64le", "ppc64" -> 361;
        case "s390x" -> 351;
        default -> -1;
    };

    private static final MethodHandle SYSCALL = Libc.bind("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    private Bpf() {}

    /** What PROG_QUERY found attached directly to a cgroup (not inherited from its parents). */
    public record Attached(int flags, int[] ids) {
        public Attached {
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }
    }

    /**
     * BPF_PROG_LOAD: hands {@code insns} (eBPF instructions, 8 bytes each, in the host's byte
     * order) to the verifier and returns the program. When the kernel refuses, the load is tried
     * once more with a log buffer, as libbpf does (a log costs verifier time on every successful
     * load), and the SyscallException names the first attempt's errno with the verifier's
     * explanation in its message.
     *
     * @param name shown by bpftool and in /proc/PID/fdinfo; [A-Za-z0-9_.], at most 15 characters
     * @param license only decides whether GPL-only helpers may be called (kernel/bpf/core.c,
     *                Documentation/bpf/bpf_licensing.rst)
     */
    public static Fd progLoad(int progType, String name, byte[] insns, String license) {
        if (insns.length == 0 || insns.length % INSN_SIZE != 0) {
            throw new IllegalArgumentException("not a sequence of 8-byte eBPF instructions: " + insns.length + " bytes");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= NAME_LEN) {
            throw new IllegalArgumentException("program name longer than " + (NAME_LEN - 1) + " characters: " + name);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment code = arena.allocate(insns.length, 8);
            MemorySegment.copy(insns, 0, code, ValueLayout.JAVA_BYTE, 0, insns.length);
            MemorySegment lic = arena.allocateFrom(license);
            // The anonymous struct for BPF_PROG_LOAD.
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, progType);
            attr.set(ValueLayout.JAVA_INT, 4, insns.length / INSN_SIZE);       // insn_cnt
            attr.set(ValueLayout.JAVA_LONG, 8, code.address());                // insns
            attr.set(ValueLayout.JAVA_LONG, 16, lic.address());                // license
            MemorySegment.copy(nameBytes, 0, attr, ValueLayout.JAVA_BYTE, 48, nameBytes.length); // prog_name
            String what = "bpf(BPF_PROG_LOAD " + name + ")";
            try {
                return Fd.adopt((int) bpf(PROG_LOAD, attr, what));
            } catch (SyscallException refused) {
                MemorySegment log = arena.allocate(LOG_SIZE);
                attr.set(ValueLayout.JAVA_INT, 24, 1);                         // log_level
                attr.set(ValueLayout.JAVA_INT, 28, LOG_SIZE);                  // log_size
                attr.set(ValueLayout.JAVA_LONG, 32, log.address());            // log_buf
                try {
                    return Fd.adopt((int) bpf(PROG_LOAD, attr, what));         // a transient failure
                } catch (SyscallException again) {
                    // The second errno may be ENOSPC for a log that did not fit; the first says why.
                    throw new SyscallException(what + verifierLog(log.getString(0)), refused.errno().number());
                }
            }
        }
    }

    private static String verifierLog(String log) {
        String text = log.strip();
        if (text.isEmpty()) {
            return "";
        }
        if (text.length() > LOG_KEPT) {
            text = "..." + text.substring(text.length() - LOG_KEPT);
        }
        return " [verifier log: " + text + "]";
    }

    /**
     * BPF_PROG_ATTACH of {@code prog} to the cgroup open as {@code cgroup}.
     *
     * @param replace with {@link #F_REPLACE} in {@code flags}, the program to swap out atomically
     *                (since 5.6); otherwise null
     */
    public static void progAttach(Fd cgroup, Fd prog, int attachType, int flags, Fd replace) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, cgroup.number());                 // target_fd
            attr.set(ValueLayout.JAVA_INT, 4, prog.number());                   // attach_bpf_fd
            attr.set(ValueLayout.JAVA_INT, 8, attachType);
            attr.set(ValueLayout.JAVA_INT, 12, flags);                          // attach_flags
            if (replace != null) {
                attr.set(ValueLayout.JAVA_INT, 16, replace.number());           // replace_bpf_fd
            }
            bpf(PROG_ATTACH, attr, "bpf(BPF_PROG_ATTACH)");
        }
    }

    /** BPF_PROG_DETACH of {@code prog} from the cgroup open as {@code cgroup}. */
    public static void progDetach(Fd cgroup, Fd prog, int attachType) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, cgroup.number());                 // target_fd
            attr.set(ValueLayout.JAVA_INT, 4, prog.number());                   // attach_bpf_fd
            attr.set(ValueLayout.JAVA_INT, 8, attachType);
            bpf(PROG_DETACH, attr, "bpf(BPF_PROG_DETACH)");
        }
    }

    /**
     * BPF_PROG_QUERY (since 4.15): the programs of {@code attachType} attached to this cgroup
     * itself, and the flags they were attached with (0 when none).
     */
    public static Attached progQuery(Fd cgroup, int attachType) {
        int room = 16;
        while (true) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ids = arena.allocate(ValueLayout.JAVA_INT, room);
                MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
                attr.set(ValueLayout.JAVA_INT, 0, cgroup.number());             // target_fd
                attr.set(ValueLayout.JAVA_INT, 4, attachType);
                attr.set(ValueLayout.JAVA_LONG, 16, ids.address());             // prog_ids
                attr.set(ValueLayout.JAVA_INT, 24, room);                       // prog_cnt: in room, out count
                try {
                    bpf(PROG_QUERY, attr, "bpf(BPF_PROG_QUERY)");
                } catch (SyscallException e) {
                    // ENOSPC: more programs than room; prog_cnt now says how many.
                    int count = attr.get(ValueLayout.JAVA_INT, 24);
                    if (e.errno().number() == Errno.ENOSPC && count > room) {
                        room = count;
                        continue;
                    }
                    throw e;
                }
                int count = attr.get(ValueLayout.JAVA_INT, 24);
                int flags = attr.get(ValueLayout.JAVA_INT, 12);                 // attach_flags
                return new Attached(flags, ids.asSlice(0, 4L * Math.min(count, room)).toArray(ValueLayout.JAVA_INT));
            }
        }
    }

    /** BPF_PROG_GET_FD_BY_ID: a descriptor for an attached program (ENOENT once it is freed). */
    public static Fd progFdById(int id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(ValueLayout.JAVA_INT, 0, id);                              // prog_id
            return Fd.adopt((int) bpf(PROG_GET_FD_BY_ID, attr, "bpf(BPF_PROG_GET_FD_BY_ID " + id + ")"));
        }
    }

    private static long bpf(int cmd, MemorySegment attr, String what) {
        if (SYS_BPF < 0) {
            throw new SyscallException(what + " (no bpf syscall number for " + System.getProperty("os.arch") + ")", ENOSYS);
        }
        return Libc.call(what, st -> (long) SYSCALL.invokeExact(st, SYS_BPF, (long) cmd, attr, ATTR_SIZE));
    }
}
