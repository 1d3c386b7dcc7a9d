package dev.berth.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** Durability: fsync(2) of one file, syncfs(2) of the whole filesystem a descriptor is on. */
public final class Sync {
    private static final MethodHandle FSYNC = Libc.bind("fsync", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));
    private static final MethodHandle SYNCFS = Libc.bind("syncfs", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    private Sync() {}

    public static void fsync(Fd fd) {
        int n = fd.number();
        Libc.call("fsync", st -> (int) FSYNC.invokeExact(st, n));
    }

    /**
     * Writes back everything dirty on {@code fd}'s filesystem: one call after unpacking a layer
     * of thousands of files, where an fsync per file would cost a flush each.
     */
    public static void syncfs(Fd fd) {
        int n = fd.number();
        Libc.call("syncfs", st -> (int) SYNCFS.invokeExact(st, n));
    }
}
