package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A file's inode attributes by name relative to a directory descriptor (null: the working
 * directory), never following a symlink at the last component: statx(2), fchownat(2),
 * fchmodat(2), utimensat(2). Ownership is numeric; nothing here looks up user names.
 */
public final class AttrsAt {
    private static final MethodHandle STATX = Libc.bind("statx", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle FCHOWNAT = Libc.bind("fchownat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FCHMODAT = Libc.bind("fchmodat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle UTIMENSAT = Libc.bind("utimensat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle FCHOWN = Libc.bind("fchown", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FCHMOD = Libc.bind("fchmod", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    /** STATX_BASIC_STATS: every field of struct stat (include/uapi/linux/stat.h). */
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final long STATX_SIZE = 256;
    private static final int ENOENT = 2;

    private AttrsAt() {}

    /** lstat-like statx of {@code path} under {@code dir}; "" with a dir means the dir itself. */
    public static FileStat stat(Fd dir, String path) {
        int dirfd = OpenFlags.dirfd(dir);
        int flags = OpenFlags.AT_SYMLINK_NOFOLLOW | (path.isEmpty() ? OpenFlags.AT_EMPTY_PATH : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment buf = arena.allocate(STATX_SIZE, 8);
            Libc.call("statx " + path, st -> (int) STATX.invokeExact(st, dirfd, cpath, flags, STATX_BASIC_STATS, buf));
            return decode(buf);
        }
    }

    /** {@link #stat}, or empty when nothing has that name (ENOENT). */
    public static Optional<FileStat> statIfExists(Fd dir, String path) {
        try {
            return Optional.of(stat(dir, path));
        } catch (SyscallException e) {
            if (e.errno().number() == ENOENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@link #stat} of an absolute or working-directory-relative path. */
    public static FileStat lstat(String path) {
        return stat(null, path);
    }

    // struct statx, include/uapi/linux/stat.h: the same layout on every architecture.
    private static FileStat decode(MemorySegment b) {
        return new FileStat(
                Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, 28)),   // stx_mode
                b.get(ValueLayout.JAVA_INT, 20),                          // stx_uid
                b.get(ValueLayout.JAVA_INT, 24),                          // stx_gid
                Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT, 16)),  // stx_nlink
                b.get(ValueLayout.JAVA_LONG, 32),                         // stx_ino
                b.get(ValueLayout.JAVA_INT, 136), b.get(ValueLayout.JAVA_INT, 140), // stx_dev_major/minor
                b.get(ValueLayout.JAVA_INT, 128), b.get(ValueLayout.JAVA_INT, 132), // stx_rdev_major/minor
                b.get(ValueLayout.JAVA_LONG, 40),                         // stx_size
                b.get(ValueLayout.JAVA_LONG, 48),                         // stx_blocks (512-byte units)
                b.get(ValueLayout.JAVA_LONG, 64), b.get(ValueLayout.JAVA_INT, 72),   // stx_atime
                b.get(ValueLayout.JAVA_LONG, 112), b.get(ValueLayout.JAVA_INT, 120)); // stx_mtime
    }

    /** fchownat(AT_SYMLINK_NOFOLLOW): a symlink's own owner changes, not its target's. */
    public static void chown(Fd dir, String path, int uid, int gid) {
        int dirfd = OpenFlags.dirfd(dir);
        int flags = OpenFlags.AT_SYMLINK_NOFOLLOW | (path.isEmpty() ? OpenFlags.AT_EMPTY_PATH : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            Libc.call("chown " + path, st -> (int) FCHOWNAT.invokeExact(st, dirfd, cpath, uid, gid, flags));
        }
    }

    /**
     * fchmodat of the 07777 bits. With AT_SYMLINK_NOFOLLOW (fchmodat2 on 6.6+, or glibc's
     * O_PATH emulation) a symlink at the last component is refused (EOPNOTSUPP) rather than
     * followed; Linux symlinks have no mode of their own, so callers skip them.
     * Call after {@link #chown}: chown(2) clears setuid and setgid.
     */
    public static void chmod(Fd dir, String path, int mode) {
        int dirfd = OpenFlags.dirfd(dir);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            Libc.call("chmod " + path, st -> (int) FCHMODAT.invokeExact(st, dirfd, cpath, mode & 07777,
                    OpenFlags.AT_SYMLINK_NOFOLLOW));
        }
    }

    /**
     * fchown(2) of an open file: no path to resolve, one system call. An unpack sets a new
     * regular file's owner this way before closing it, as tar does.
     */
    public static void fchown(Fd file, int uid, int gid) {
        int fd = file.number();
        Libc.call("fchown", st -> (int) FCHOWN.invokeExact(st, fd, uid, gid));
    }

    /**
     * fchmod(2) of the 07777 bits of an open file. {@link #chmod} by name costs four system calls
     * with glibc before 2.39 (its AT_SYMLINK_NOFOLLOW emulation opens an O_PATH descriptor,
     * fstats it and chmods /proc/self/fd/N); an open descriptor needs one. Call after
     * {@link #fchown}: chown(2) clears setuid and setgid.
     */
    public static void fchmod(Fd file, int mode) {
        int fd = file.number();
        Libc.call("fchmod", st -> (int) FCHMOD.invokeExact(st, fd, mode & 07777));
    }

    /** utimensat(AT_SYMLINK_NOFOLLOW): sets access and modification times, of a symlink itself too. */
    public static void setTimes(Fd dir, String path, long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec) {
        int dirfd = OpenFlags.dirfd(dir);
        int flags = OpenFlags.AT_SYMLINK_NOFOLLOW | (path.isEmpty() ? OpenFlags.AT_EMPTY_PATH : 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            // struct timespec times[2] = { atime, mtime }
            MemorySegment times = arena.allocate(32, 8);
            times.set(ValueLayout.JAVA_LONG, 0, atimeSec);
            times.set(ValueLayout.JAVA_LONG, 8, atimeNsec);
            times.set(ValueLayout.JAVA_LONG, 16, mtimeSec);
            times.set(ValueLayout.JAVA_LONG, 24, mtimeNsec);
            Libc.call("utimensat " + path, st -> (int) UTIMENSAT.invokeExact(st, dirfd, cpath, times, flags));
        }
    }
}
