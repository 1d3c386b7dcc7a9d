package dev.berth.runtime.cli;

import dev.berth.runtime.BerthRuntime;
import java.io.PrintStream;
import java.nio.file.Path;

/** What every verb gets: the runtime over --root, and the streams to print to. */
record Context(BerthRuntime runtime, Path root, PrintStream out, Logger log) {}
