package dev.berth.runtime;

import dev.berth.oci.runtime.Spec;
import dev.berth.runtime.stdio.Stdio;
import java.nio.file.Path;

/** The arguments of `exec`: the process to start in container {@code id}, and how to attach to it. */
public record ExecRequest(String id, Spec.Process process, Path consoleSocket, Path pidFile, boolean detach,
                          int preserveFds, Stdio stdio) {

    public ExecRequest(String id, Spec.Process process, Path consoleSocket, Path pidFile, boolean detach, int preserveFds) {
        this(id, process, consoleSocket, pidFile, detach, preserveFds, null);
    }
}
