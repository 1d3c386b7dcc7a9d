package dev.berth.runtime;

import java.nio.file.Path;

/**
 * The arguments of `create` / `run`.
 *
 * @param detach whether the shim outlives this process (create, run -d) or is waited for (run)
 */
public record CreateRequest(String id, Path bundle, Path pidFile, Path consoleSocket, boolean noPivot,
                            int preserveFds, boolean detach) {}
