package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * open(2) of a directory as an {@link Fd}, for the calls that take a directory by descriptor
 * rather than by path (bpf(2) BPF_PROG_ATTACH names its cgroup by a descriptor).
 */
public final class DirFd {
    // open is variadic (the mode after flags), so the call is linked as one: man 3 stdarg, and
    // the x86-64 ABI's %al convention for variadic callees.
    private static final MethodHandle OPEN = Libc.bind("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000; // 02000000 on every architecture Berth runs on
    /** O_DIRECTORY is not the same number everywhere: arm and arm64 moved it (asm/fcntl.h). */
    private static final int O_DIRECTORY = switch (System.getProperty("os.arch")) {
        case "aarch64", "arm" -> 0x4000;  // 040000
        default -> 0x10000;               // 0200000, asm-generic/fcntl.h (x86-64, riscv64, ...)
    };

    private DirFd() {}

    /**
     * Opens {@code dir} read-only with O_DIRECTORY (ENOTDIR if it is anything else) and O_CLOEXEC
     * (so a process the JVM starts meanwhile does not inherit it).
     */
    public static Fd open(Path dir) {
        String path = dir.toString();
        try (Arena arena = Arena.ofConfined()) {
            var cpath = arena.allocateFrom(path);
            int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
            long fd = Libc.call("open " + path, st -> (int) OPEN.invokeExact(st, cpath, flags, 0));
            return Fd.adopt((int) fd);
        }
    }
}
