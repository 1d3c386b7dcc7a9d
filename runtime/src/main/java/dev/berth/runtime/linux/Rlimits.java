package dev.berth.runtime.linux;

import dev.berth.oci.runtime.SpecException;
import java.util.List;

/** RLIMIT_* names of config.md#posix-process to their numbers on Linux (getrlimit(2)). */
public final class Rlimits {
    private static final List<String> NAMES = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
            "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    private Rlimits() {}

    public static int number(String name, String field) {
        int i = NAMES.indexOf(name);
        if (i < 0) {
            throw new SpecException(field + ": unknown rlimit type \"" + name + "\"");
        }
        return i;
    }

    public static String name(int number) {
        return NAMES.get(number);
    }
}
