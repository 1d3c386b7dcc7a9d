package dev.berth.engine.container;

import dev.berth.runtime.stdio.Record;
import java.time.Instant;

/** One piece of a container's output: which stream, when, and the bytes (a line, as logged). */
public record Output(boolean stderr, Instant time, byte[] data) {
    static Output of(Record r) {
        return new Output(r.stream() == Record.STDERR, r.time(), r.data());
    }
}
