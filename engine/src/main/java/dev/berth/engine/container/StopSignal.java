package dev.berth.engine.container;

import dev.berth.engine.model.ContainerConfig;
import java.util.List;

/** Config.StopSignal ("SIGTERM", "TERM", "15") as a number; SIGTERM when unset. */
final class StopSignal {
    private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
            "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM");

    private StopSignal() {}

    static int of(ContainerConfig c) {
        return parse(c == null || c.stopSignal() == null ? "SIGTERM" : c.stopSignal());
    }

    static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            int i = NAMES.indexOf(s.toUpperCase().replaceFirst("^SIG", ""));
            if (i <= 0) {
                throw new dev.berth.engine.EngineException(400, "Invalid signal: " + s);
            }
            return i;
        }
    }
}
