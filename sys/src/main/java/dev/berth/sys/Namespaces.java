package dev.berth.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Namespace files and setns(2). setns changes the namespace of the calling thread only, so a
 * caller that enters a container's namespace must do it on a platform thread of its own and never
 * on a virtual thread (whose carrier is shared) or a pooled one.
 */
public final class Namespaces {
    /** setns(2) nstype for a network namespace. */
    public static final int CLONE_NEWNET = 0x40000000;

    private static final int O_RDONLY = 0, O_CLOEXEC = 0x80000;
    private static final MethodHandle OPEN = Libc.bind("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS = Libc.bind("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Namespaces() {}

    /** Opens a namespace file (e.g. /proc/PID/ns/net, or a bind mount of one) read-only, close-on-exec. */
    public static Fd open(Path nsFile) {
        try (Arena arena = Arena.ofConfined()) {
            var path = arena.allocateFrom(nsFile.toString());
            return Fd.adopt((int) Libc.call("open " + nsFile,
                    st -> (int) OPEN.invokeExact(st, path, O_RDONLY | O_CLOEXEC)));
        }
    }

    /** setns(2): moves the calling thread into the namespace {@code ns} refers to. */
    public static void setns(Fd ns, int nstype) {
        int n = ns.number();
        Libc.call("setns", st -> (int) SETNS.invokeExact(st, n, nstype));
    }
}
