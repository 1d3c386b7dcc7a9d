package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A filesystem being configured through the new mount API (Documentation/filesystems/mount_api.rst;
 * man 2 fsopen, fsconfig, fsmount, move_mount): fsopen a type, fsconfig one parameter per call,
 * create the superblock, fsmount it as a detached mount and move_mount that onto a path.
 *
 * <p>Parameters travel one per call, so no page limit applies to the whole option set; that is
 * what lets overlayfs take hundreds of lower layers through repeated "lowerdir+" (Linux 6.8,
 * Documentation/filesystems/overlayfs.rst "Multiple lower layers"). A single string is still
 * capped (strndup_user in fs/fsopen.c).
 *
 * <p>When the kernel refuses a parameter it often says why in the context's message log; the
 * SyscallException then carries those messages in its call text ("e overlayfs: ...").
 *
 * <p>The syscall numbers are the unified ones of asm-generic/unistd.h, the same on every
 * architecture; the calls go through syscall(2) so that no glibc wrapper (2.36+) is required.
 */
public final class FsContext implements AutoCloseable {
    private static final long SYS_MOVE_MOUNT = 429, SYS_FSOPEN = 430, SYS_FSCONFIG = 431, SYS_FSMOUNT = 432;
    private static final int FSOPEN_CLOEXEC = 1, FSMOUNT_CLOEXEC = 1;
    private static final int FSCONFIG_SET_FLAG = 0, FSCONFIG_SET_STRING = 1, FSCONFIG_CMD_CREATE = 6;
    private static final int MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    /** MOUNT_ATTR_* for fsmount's attr_flags (include/uapi/linux/mount.h). */
    public static final int MOUNT_ATTR_RDONLY = 0x1, MOUNT_ATTR_NOSUID = 0x2, MOUNT_ATTR_NODEV = 0x4,
            MOUNT_ATTR_NOEXEC = 0x8;
    private static final int ENODATA = 61;

    private static final MethodHandle FSOPEN = Libc.bind("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle FSCONFIG = Libc.bind("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle FSMOUNT = Libc.bind("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MOVE_MOUNT = Libc.bind("syscall", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
            ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final MethodHandle READ = Libc.bind("read", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));

    private final Fd fd;
    private final String type;

    private FsContext(Fd fd, String type) {
        this.fd = fd;
        this.type = type;
    }

    /** fsopen(2) of filesystem {@code type} ("overlay", "tmpfs", ...). */
    public static FsContext open(String type) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctype = arena.allocateFrom(type);
            long fd = Libc.call("fsopen " + type, st -> (long) FSOPEN.invokeExact(st, SYS_FSOPEN, ctype, (long) FSOPEN_CLOEXEC));
            return new FsContext(Fd.adopt((int) fd), type);
        }
    }

    /** FSCONFIG_SET_STRING {@code key}={@code value}. */
    public FsContext set(String key, String value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ckey = arena.allocateFrom(key);
            MemorySegment cvalue = arena.allocateFrom(value);
            config("fsconfig " + type + " " + key + "=" + value, FSCONFIG_SET_STRING, ckey, cvalue);
        }
        return this;
    }

    /** FSCONFIG_SET_FLAG {@code key} (a parameter without a value, "ro"). */
    public FsContext flag(String key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ckey = arena.allocateFrom(key);
            config("fsconfig " + type + " " + key, FSCONFIG_SET_FLAG, ckey, MemorySegment.NULL);
        }
        return this;
    }

    /**
     * FSCONFIG_CMD_CREATE then fsmount(2): the configured filesystem as a detached mount, with
     * MOUNT_ATTR_* {@code attributes}. The returned Fd is the mount; {@link #moveMount} attaches it.
     */
    public Fd mount(int attributes) {
        config("fsconfig " + type + " create", FSCONFIG_CMD_CREATE, MemorySegment.NULL, MemorySegment.NULL);
        int n = fd.number();
        long mfd = Libc.call("fsmount " + type, st -> (long) FSMOUNT.invokeExact(st, SYS_FSMOUNT, (long) n,
                (long) FSMOUNT_CLOEXEC, (long) attributes));
        return Fd.adopt((int) mfd);
    }

    /** move_mount(2) of detached mount {@code mount} onto {@code target}. */
    public static void moveMount(Fd mount, String target) {
        int n = mount.number();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment empty = arena.allocateFrom("");
            MemorySegment ctarget = arena.allocateFrom(target);
            Libc.call("move_mount " + target, st -> (long) MOVE_MOUNT.invokeExact(st, SYS_MOVE_MOUNT, (long) n, empty,
                    (long) OpenFlags.AT_FDCWD, ctarget, (long) MOVE_MOUNT_F_EMPTY_PATH));
        }
    }

    private void config(String what, int command, MemorySegment key, MemorySegment value) {
        int n = fd.number();
        try {
            Libc.call(what, st -> (long) FSCONFIG.invokeExact(st, SYS_FSCONFIG, (long) n, (long) command, key, value, 0L));
        } catch (SyscallException e) {
            List<String> log = messages();
            if (log.isEmpty()) {
                throw e;
            }
            throw new SyscallException(what + " (" + String.join("; ", log) + ")", e.errno().number());
        }
    }

    /**
     * Drains the context's message log: each read(2) returns one message, "e " error, "w "
     * warning or "i " info, and ENODATA once there are none left (mount_api.rst, "Error handling").
     */
    private List<String> messages() {
        List<String> out = new ArrayList<>();
        int n = fd.number();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(1024);
            for (int i = 0; i < 32; i++) {
                long len;
                try {
                    len = Libc.call("read fs log", st -> (long) READ.invokeExact(st, n, buf, 1024L));
                } catch (SyscallException e) {
                    if (e.errno().number() != ENODATA) {
                        out.add("(log unreadable: " + e.getMessage() + ")");
                    }
                    break;
                }
                if (len <= 0) {
                    break;
                }
                out.add(new String(buf.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8).strip());
            }
        }
        return out;
    }

    @Override
    public void close() {
        fd.close();
    }
}
