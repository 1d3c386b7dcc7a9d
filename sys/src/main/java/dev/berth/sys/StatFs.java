package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** statfs(2): which filesystem a path is on, by its magic number (include/uapi/linux/magic.h). */
public final class StatFs {
    public static final long OVERLAYFS_SUPER_MAGIC = 0x794c7630L, TMPFS_MAGIC = 0x01021994L,
            EXT4_SUPER_MAGIC = 0xef53L, XFS_SUPER_MAGIC = 0x58465342L, BTRFS_SUPER_MAGIC = 0x9123683eL,
            ZFS_SUPER_MAGIC = 0x2fc12fc1L, NFS_SUPER_MAGIC = 0x6969L;

    private static final MethodHandle STATFS = Libc.bind("statfs", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    /** sizeof(struct statfs) is 120 on 64-bit Linux; f_type is its first member, a long. */
    private static final long STATFS_SIZE = 128;

    private StatFs() {}

    /** f_type of the filesystem holding {@code path}. */
    public static long type(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment buf = arena.allocate(STATFS_SIZE, 8);
            Libc.call("statfs " + path, st -> (int) STATFS.invokeExact(st, cpath, buf));
            return buf.get(ValueLayout.JAVA_LONG, 0) & 0xffffffffL;
        }
    }
}
