package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * mount(2) and umount2(2), the classic interface. The data string of mount(2) is copied into
 * one page by the kernel (copy_mount_options), so options longer than 4095 bytes are cut
 * short; {@link FsContext} has no such limit.
 */
public final class Mounts {
    /** MS_* flags of include/uapi/linux/mount.h. */
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1L << 18, MS_SLAVE = 1L << 19;
    /** umount2 flags. */
    public static final int MNT_FORCE = 1, MNT_DETACH = 2, UMOUNT_NOFOLLOW = 8;
    /** The largest data string mount(2) passes whole: one page, its NUL included. */
    public static final int MAX_DATA = 4095;

    private static final MethodHandle MOUNT = Libc.bind("mount", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle UMOUNT2 = Libc.bind("umount2", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private Mounts() {}

    /** mount(2); null {@code source}, {@code fstype} or {@code data} pass NULL. */
    public static void mount(String source, String target, String fstype, long flags, String data) {
        if (data != null && data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_DATA) {
            throw new IllegalArgumentException("mount data for " + target + " is longer than a page ("
                    + MAX_DATA + " bytes); the kernel would truncate it");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment csource = source == null ? MemorySegment.NULL : arena.allocateFrom(source);
            MemorySegment ctarget = arena.allocateFrom(target);
            MemorySegment ctype = fstype == null ? MemorySegment.NULL : arena.allocateFrom(fstype);
            MemorySegment cdata = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            Libc.call("mount " + (fstype == null ? "" : fstype + " ") + target,
                    st -> (int) MOUNT.invokeExact(st, csource, ctarget, ctype, flags, cdata));
        }
    }

    /** A bind mount of {@code source} on {@code target}, recursive or not, made read-only if asked (a second, remounting call: mount(2) "Creating a bind mount"). */
    public static void bind(String source, String target, boolean recursive, boolean readOnly) {
        mount(source, target, null, MS_BIND | (recursive ? MS_REC : 0), null);
        if (readOnly) {
            try {
                mount(null, target, null, MS_REMOUNT | MS_BIND | MS_RDONLY, null);
            } catch (RuntimeException e) {
                unmount(target, MNT_DETACH);
                throw e;
            }
        }
    }

    /** umount2(2). */
    public static void unmount(String target, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctarget = arena.allocateFrom(target);
            Libc.call("umount " + target, st -> (int) UMOUNT2.invokeExact(st, ctarget, flags));
        }
    }
}
