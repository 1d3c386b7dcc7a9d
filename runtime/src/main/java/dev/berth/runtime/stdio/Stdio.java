package dev.berth.runtime.stdio;

import java.nio.file.Path;

/**
 * Stdio mode of a launch (native/src/stdio_relay.c): the shim, not the caller, holds the
 * container's stdio, logs it and serves attach. Used by the daemon.
 *
 * @param openStdin   give the container a stdin pipe that attached clients write to
 * @param log         where output records go, or null for none
 * @param logMaxBytes rotate the log past this size (0: never)
 * @param logFiles    how many files rotation keeps, the current one included
 * @param attach      the unix socket the shim serves attach on, or null
 */
public record Stdio(boolean openStdin, Path log, long logMaxBytes, int logFiles, Path attach) {}
