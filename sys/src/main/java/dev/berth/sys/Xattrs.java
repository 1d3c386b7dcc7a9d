package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Extended attributes of a path, not following a symlink at the last component (the l* calls of
 * xattr(7)). Values are bytes: security.capability is binary (struct vfs_cap_data), so nothing
 * here decodes them. Names carry their namespace ("user.", "trusted.", "security.").
 *
 * <p>To address a name under a directory descriptor, pass {@code /proc/self/fd/N/name}: the
 * magic link resolves to exactly that directory, and the l* calls do not follow {@code name}.
 */
public final class Xattrs {
    private static final MethodHandle LLISTXATTR = Libc.bind("llistxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle LGETXATTR = Libc.bind("lgetxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle LSETXATTR = Libc.bind("lsetxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle LREMOVEXATTR = Libc.bind("lremovexattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS));

    /** The kernel caps a value at XATTR_SIZE_MAX (include/uapi/linux/limits.h). */
    private static final int XATTR_SIZE_MAX = 65536;
    private static final int ERANGE = 34, ENODATA = 61;
    /** ENOTSUP is EOPNOTSUPP on Linux: the filesystem has no xattrs, or not this namespace. */
    public static final int EOPNOTSUPP = 95;

    private Xattrs() {}

    /** llistxattr(2): the names set on {@code path}; empty where the filesystem keeps none. */
    public static List<String> list(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            while (true) {
                long size = Libc.call("llistxattr " + path,
                        st -> (long) LLISTXATTR.invokeExact(st, cpath, MemorySegment.NULL, 0L));
                if (size == 0) {
                    return List.of();
                }
                MemorySegment buf = arena.allocate(size);
                long n;
                try {
                    n = Libc.call("llistxattr " + path, st -> (long) LLISTXATTR.invokeExact(st, cpath, buf, size));
                } catch (SyscallException e) {
                    if (e.errno().number() == ERANGE) {
                        continue; // one was added between the two calls
                    }
                    throw e;
                }
                // A sequence of NUL-terminated names.
                List<String> names = new ArrayList<>();
                byte[] raw = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                int start = 0;
                for (int i = 0; i < raw.length; i++) {
                    if (raw[i] == 0) {
                        if (i > start) {
                            names.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                        }
                        start = i + 1;
                    }
                }
                return names;
            }
        } catch (SyscallException e) {
            if (e.errno().number() == EOPNOTSUPP) {
                return List.of();
            }
            throw e;
        }
    }

    /** lgetxattr(2): the value of {@code name}, or empty when it is not set (ENODATA). */
    public static Optional<byte[]> get(String path, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            MemorySegment buf = arena.allocate(XATTR_SIZE_MAX);
            long n = Libc.call("lgetxattr " + path + " " + name,
                    st -> (long) LGETXATTR.invokeExact(st, cpath, cname, buf, (long) XATTR_SIZE_MAX));
            return Optional.of(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        } catch (SyscallException e) {
            if (e.errno().number() == ENODATA) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** lsetxattr(2), creating or replacing {@code name}. */
    public static void set(String path, String name, byte[] value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            MemorySegment cvalue = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, cvalue, ValueLayout.JAVA_BYTE, 0, value.length);
            Libc.call("lsetxattr " + path + " " + name,
                    st -> (int) LSETXATTR.invokeExact(st, cpath, cname, cvalue, (long) value.length, 0));
        }
    }

    /** lremovexattr(2); a name that is not set is not an error. */
    public static void remove(String path, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            Libc.call("lremovexattr " + path + " " + name, st -> (int) LREMOVEXATTR.invokeExact(st, cpath, cname));
        } catch (SyscallException e) {
            if (e.errno().number() != ENODATA) {
                throw e;
            }
        }
    }

    /**
     * The path that names {@code name} inside the directory {@code dir} holds; "" names the
     * directory itself, as {@code .../N/.}, because the l* calls would otherwise act on the magic
     * link /proc/self/fd/N rather than on what it points to.
     */
    public static String pathAt(Fd dir, String name) {
        return "/proc/self/fd/" + dir.number() + "/" + (name.isEmpty() ? "." : name);
    }
}
