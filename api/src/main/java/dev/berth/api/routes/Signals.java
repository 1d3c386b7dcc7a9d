package dev.berth.api.routes;

import dev.berth.engine.EngineException;
import java.util.List;

/** Signal names of the API's kill (?signal=SIGHUP, HUP or 1). */
final class Signals {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
            "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

    private Signals() {}

    static int parse(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n > 0 && n < 65) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // a name
        }
        int i = NAMES.indexOf(s.toUpperCase().replaceFirst("^SIG", ""));
        if (i <= 0) {
            throw new EngineException(400, "Invalid signal: " + s);
        }
        return i;
    }
}
