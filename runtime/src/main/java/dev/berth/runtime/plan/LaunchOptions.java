package dev.berth.runtime.plan;

import dev.berth.runtime.stdio.Stdio;
import java.nio.file.Path;
import java.util.List;

/**
 * What a launch needs besides config.json: where the shim reports and records, and the
 * command-line choices of `create`/`run`.
 *
 * @param execFifo      the fifo `start` writes; null to run straight through to execve
 * @param consoleSocket --console-socket, or null
 * @param preserveFds   --preserve-fds: fds 3..3+n-1 of {@code callerPid} are passed on
 * @param cgroupProcs   the cgroup.procs files the container's pid goes into
 * @param hookPoint     stop before the root switch so that Java can run createRuntime hooks
 * @param stdio         the shim holds, logs and serves the container's stdio; null to pass ours on
 */
public record LaunchOptions(Path syncSocket, Path exitFile, Path execFifo, Path consoleSocket,
                            boolean detach, boolean forwardSignals, boolean noPivot, int preserveFds,
                            long callerPid, List<Path> cgroupProcs, boolean hookPoint, Stdio stdio) {}
