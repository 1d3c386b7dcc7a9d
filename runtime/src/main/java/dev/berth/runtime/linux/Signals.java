package dev.berth.runtime.linux;

import dev.berth.oci.runtime.SpecException;

import java.util.List;

/** Signal names and numbers of Linux x86_64/aarch64 (signal(7)), as `kill` and docker's StopSignal accept them. */
public final class Signals {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {}

    /** "KILL", "SIGKILL", "sigkill", "9", "RTMIN+3" -> number. */
    public static int parse(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n > 0 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // a name
        }
        String name = text.toUpperCase().replaceFirst("^SIG", "");
        int i = NAMES.indexOf(name);
        if (i > 0) {
            return i;
        }
        if (name.equals("IOT")) {
            return 6;
        }
        if (name.equals("POLL")) {
            return 29;
        }
        if (name.startsWith("RTMIN")) {
            return 34 + offset(name.substring(5), text);
        }
        if (name.startsWith("RTMAX")) {
            return 64 - offset(name.substring(5).replace("-", "+"), text);
        }
        throw new SpecException("unknown signal \"" + text + "\"");
    }

    private static int offset(String rest, String text) {
        if (rest.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(rest.replace("+", ""));
        } catch (NumberFormatException e) {
            throw new SpecException("unknown signal \"" + text + "\"");
        }
    }
}
