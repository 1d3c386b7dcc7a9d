package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.oci.runtime.SpecException;
import dev.berth.runtime.linux.Signals;

/** Signals by docker's spelling ("SIGTERM", "TERM", "15"); Config.StopSignal defaults to SIGTERM. */
public final class StopSignal {
    private StopSignal() {}

    static int of(ContainerConfig c) {
        return parse(c == null || c.stopSignal() == null ? "SIGTERM" : c.stopSignal());
    }

    public static int parse(String s) {
        try {
            return Signals.parse(s);
        } catch (SpecException e) {
            throw new EngineException(400, "Invalid signal: " + s);
        }
    }
}
