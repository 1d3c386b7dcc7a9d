package dev.berth.runtime;

import dev.berth.runtime.stdio.Stdio;
import java.nio.file.Path;

/**
 * The arguments of `create` / `run`.
 *
 * @param detach whether the shim outlives this process (create, run -d) or is waited for (run)
 * @param stdio  null: the container gets our stdio (runc's way); else the shim holds it (the daemon's)
 */
public record CreateRequest(String id, Path bundle, Path pidFile, Path consoleSocket, boolean noPivot,
                            int preserveFds, boolean detach, Stdio stdio) {

    public CreateRequest(String id, Path bundle, Path pidFile, Path consoleSocket, boolean noPivot, int preserveFds, boolean detach) {
        this(id, bundle, pidFile, consoleSocket, noPivot, preserveFds, detach, null);
    }
}
