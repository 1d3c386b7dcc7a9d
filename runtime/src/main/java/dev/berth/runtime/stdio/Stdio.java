package dev.berth.runtime.stdio;

import java.nio.file.Path;
import java.util.List;

/**
 * Stdio mode of a launch (native/src/stdio_relay.c): the shim, not the caller, holds the
 * container's stdio, logs it and serves attach. Used by the daemon.
 *
 * @param openStdin    give the container a stdin pipe that attached clients write to
 * @param log          where output records go, or null for none
 * @param logMaxBytes  rotate the log past this size (0: never)
 * @param logRotations the names a full log moves through, newest first: on rotation the log
 *                     becomes the first, each one the next, and the last is dropped (none: the
 *                     log is never rotated). The shim only renames; the naming is the caller's
 * @param attach       the unix socket the shim serves attach on, or null
 */
public record Stdio(boolean openStdin, Path log, long logMaxBytes, List<Path> logRotations, Path attach) {
    public Stdio {
        logRotations = List.copyOf(logRotations);
    }

    /** Without a log rotation: output to {@code log} (or nowhere), attach on {@code attach} (or none). */
    public static Stdio unrotated(boolean openStdin, Path log, Path attach) {
        return new Stdio(openStdin, log, 0, List.of(), attach);
    }
}
