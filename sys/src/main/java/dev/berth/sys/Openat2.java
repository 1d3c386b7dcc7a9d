package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * openat2(2) with RESOLVE_BENEATH: opens a path below a directory and lets the kernel refuse,
 * with EXDEV, any resolution that would leave it: a ".." above it, an absolute path, or a
 * symlink (at any component) that points outside. Resolution is atomic, so a rename racing the
 * lookup cannot smuggle a path out (the kernel answers EAGAIN instead, and the call is retried).
 * This is the primitive that makes unpacking an untrusted tar safe: every parent directory of
 * an entry is opened through here, and the entry itself is then created with a *at call that
 * never follows its last component.
 *
 * <p>glibc has no wrapper; the call goes through syscall(2). Its number, 437, is the same on
 * every architecture (include/uapi/asm-generic/unistd.h; it was added after the numbering was
 * unified in 5.1).
 */
public final class Openat2 {
    /** RESOLVE_* flags of include/uapi/linux/openat2.h. */
    public static final long RESOLVE_NO_XDEV = 0x01, RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_NO_SYMLINKS = 0x04,
            RESOLVE_BENEATH = 0x08, RESOLVE_IN_ROOT = 0x10;

    private static final long SYS_OPENAT2 = 437;
    private static final int EAGAIN = 11, EXDEV = 18;
    /** struct open_how { u64 flags; u64 mode; u64 resolve; } */
    private static final long HOW_SIZE = 24;
    private static final int RETRIES = 16;

    private static final MethodHandle SYSCALL = Libc.bind("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    private Openat2() {}

    /**
     * Opens directory {@code path} (relative; "" is {@code root} itself) beneath {@code root},
     * read-only, O_DIRECTORY and O_CLOEXEC. Symlinks that stay beneath root are followed; magic
     * links (/proc/PID/fd/N) never are. Throws {@link EscapeException} when the path leaves root.
     */
    public static Fd openDirectoryBeneath(Fd root, String path) {
        return open(root, path.isEmpty() ? "." : path,
                OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC,
                RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    }

    /**
     * Opens directory {@code path} beneath {@code root} as {@link #openDirectoryBeneath} does, with
     * more RESOLVE_* flags: RESOLVE_NO_SYMLINKS refuses (ELOOP) a path with any symlink in it.
     */
    public static Fd openDirectoryBeneath(Fd root, String path, long extraResolve) {
        return open(root, path.isEmpty() ? "." : path,
                OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC,
                RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | extraResolve);
    }

    /**
     * Opens directory {@code path} as if {@code root} were the root directory (RESOLVE_IN_ROOT):
     * "..", absolute paths and absolute symlinks all stay inside it, as they would for a process
     * chrooted there; magic links are refused. What docker cp needs to find a path in a
     * container's filesystem the way the container itself sees it.
     */
    public static Fd openDirectoryInRoot(Fd root, String path) {
        return open(root, path.isEmpty() ? "." : path,
                OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC,
                RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
    }

    /** openat2 with these open(2) {@code flags} and RESOLVE_* {@code resolve} flags; mode 0. */
    public static Fd open(Fd dir, String path, int flags, long resolve) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment how = arena.allocate(HOW_SIZE, 8);
            how.set(ValueLayout.JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(ValueLayout.JAVA_LONG, 8, 0L);
            how.set(ValueLayout.JAVA_LONG, 16, resolve);
            for (int attempt = 0; ; attempt++) {
                try {
                    long fd = Libc.call("openat2 " + path, st -> (long) SYSCALL.invokeExact(st, SYS_OPENAT2,
                            (long) dirfd, cpath, how, HOW_SIZE));
                    return Fd.adopt((int) fd);
                } catch (SyscallException e) {
                    int errno = e.errno().number();
                    // openat2(2): EAGAIN "a rename or mount raced with the lookup"; retrying is the documented answer.
                    if (errno == EAGAIN && attempt < RETRIES) {
                        continue;
                    }
                    if (errno == EXDEV && (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) != 0) {
                        throw new EscapeException(path, e);
                    }
                    throw e;
                }
            }
        }
    }

    /** The path would have resolved outside the directory it was confined to (EXDEV from openat2). */
    public static final class EscapeException extends RuntimeException {
        private final String path;

        EscapeException(String path, SyscallException cause) {
            super(path + ": resolves outside its root (through \"..\", an absolute symlink or a symlink pointing out)", cause);
            this.path = path;
        }

        public String path() {
            return path;
        }
    }
}
