package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Creating, opening, linking and removing names relative to a directory descriptor (null: the
 * working directory): mkdirat, mknodat, symlinkat, linkat, unlinkat, renameat, readlinkat and
 * openat. None of them follows a symlink at the last component (man 7 path_resolution), so with a
 * directory from {@link Openat2#openDirectoryBeneath} and a single-component name, nothing is
 * created, opened or removed outside that directory.
 */
public final class NodesAt {
    private static final MethodHandle MKDIRAT = Libc.bind("mkdirat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle MKNODAT = Libc.bind("mknodat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle SYMLINKAT = Libc.bind("symlinkat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle LINKAT = Libc.bind("linkat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle UNLINKAT = Libc.bind("unlinkat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RENAMEAT = Libc.bind("renameat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle READLINKAT = Libc.bind("readlinkat", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    // openat is variadic (the mode after the flags), linked as one as DirFd explains.
    private static final MethodHandle OPENAT = Libc.bind("openat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(3));

    /** PATH_MAX: the longest symlink target Linux stores. */
    private static final int PATH_MAX = 4096;

    private NodesAt() {}

    /** mkdirat(2); the process umask applies, so callers that care set the mode afterwards. */
    public static void mkdir(Fd dir, String name, int mode) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Libc.call("mkdir " + name, st -> (int) MKDIRAT.invokeExact(st, dirfd, cname, mode));
        }
    }

    /**
     * mknodat(2): {@code mode} carries the type (FileStat.S_IFCHR, S_IFBLK, S_IFIFO) and the
     * permissions; {@code dev} is a dev_t from {@link DevNumbers#makedev}.
     */
    public static void mknod(Fd dir, String name, int mode, long dev) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Libc.call("mknod " + name, st -> (int) MKNODAT.invokeExact(st, dirfd, cname, mode, dev));
        }
    }

    /** symlinkat(2): {@code name} becomes a symlink holding {@code target}, which is not resolved. */
    public static void symlink(String target, Fd dir, String name) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctarget = arena.allocateFrom(target);
            MemorySegment cname = arena.allocateFrom(name);
            Libc.call("symlink " + name, st -> (int) SYMLINKAT.invokeExact(st, ctarget, dirfd, cname));
        }
    }

    /** linkat(2) without AT_SYMLINK_FOLLOW: a symlink at {@code from} is linked itself, as tar does. */
    public static void link(Fd fromDir, String from, Fd toDir, String to) {
        int fromfd = OpenFlags.dirfd(fromDir);
        int tofd = OpenFlags.dirfd(toDir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cfrom = arena.allocateFrom(from);
            MemorySegment cto = arena.allocateFrom(to);
            Libc.call("link " + to + " to " + from, st -> (int) LINKAT.invokeExact(st, fromfd, cfrom, tofd, cto, 0));
        }
    }

    /** unlinkat(2) of a non-directory. */
    public static void unlink(Fd dir, String name) {
        unlinkat(dir, name, 0);
    }

    /** unlinkat(AT_REMOVEDIR) of an empty directory. */
    public static void rmdir(Fd dir, String name) {
        unlinkat(dir, name, OpenFlags.AT_REMOVEDIR);
    }

    private static void unlinkat(Fd dir, String name, int flags) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Libc.call("unlink " + name, st -> (int) UNLINKAT.invokeExact(st, dirfd, cname, flags));
        }
    }

    /** renameat(2). */
    public static void rename(Fd fromDir, String from, Fd toDir, String to) {
        int fromfd = OpenFlags.dirfd(fromDir);
        int tofd = OpenFlags.dirfd(toDir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cfrom = arena.allocateFrom(from);
            MemorySegment cto = arena.allocateFrom(to);
            Libc.call("rename " + from + " to " + to, st -> (int) RENAMEAT.invokeExact(st, fromfd, cfrom, tofd, cto));
        }
    }

    /** readlinkat(2): a symlink's target, as stored. */
    public static String readlink(Fd dir, String name) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            MemorySegment buf = arena.allocate(PATH_MAX + 1);
            long n = Libc.call("readlink " + name, st -> (long) READLINKAT.invokeExact(st, dirfd, cname, buf, (long) PATH_MAX + 1));
            return new String(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    /**
     * Creates regular file {@code name} for writing: O_CREAT|O_EXCL, so an existing name, a
     * symlink included, is an error (EEXIST) rather than something to follow or truncate.
     * The umask applies to {@code mode}.
     */
    public static Fd create(Fd dir, String name, int mode) {
        return openat(dir, name, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL
                | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, mode);
    }

    /** Opens {@code name} read-only; a symlink at the last component is refused (ELOOP). */
    public static Fd openRead(Fd dir, String name) {
        return openat(dir, name, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, 0);
    }

    /** Opens directory {@code name} read-only, refusing a symlink (ELOOP) or a non-directory (ENOTDIR). */
    public static Fd openDirectory(Fd dir, String name) {
        return openat(dir, name, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_NOFOLLOW
                | OpenFlags.O_CLOEXEC, 0);
    }

    private static Fd openat(Fd dir, String name, int flags, int mode) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            long fd = Libc.call("open " + name, st -> (int) OPENAT.invokeExact(st, dirfd, cname, flags, mode));
            return Fd.adopt((int) fd);
        }
    }
}
