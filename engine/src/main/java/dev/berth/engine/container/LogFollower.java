package dev.berth.engine.container;

import dev.berth.runtime.stdio.Record;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** Reads a container's record log from the start and, while {@code more} says so, follows what is appended. */
public final class LogFollower {
    public interface Sink {
        void accept(Output out) throws IOException;
    }

    private LogFollower() {}

    static void copy(Path log, BooleanSupplier more, Sink sink) throws IOException, InterruptedException {
        InputStream in;
        try {
            in = Files.newInputStream(log);
        } catch (NoSuchFileException e) {
            return;
        }
        try (in) {
            byte[] header = new byte[Record.HEADER];
            for (;;) {
                if (!readFully(in, header, more)) {
                    return;
                }
                ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
                byte[] data = new byte[b.getInt(4)];
                if (!readFully(in, data, more)) {
                    return;
                }
                sink.accept(Output.of(new Record(b.get(0), b.getLong(8), data)));
            }
        }
    }

    /** Fills buf, waiting for the file to grow while {@code more} holds; false at the end. */
    private static boolean readFully(InputStream in, byte[] buf, BooleanSupplier more) throws IOException, InterruptedException {
        int got = 0;
        while (got < buf.length) {
            int n = in.read(buf, got, buf.length - got);
            if (n > 0) {
                got += n;
            } else if (more.getAsBoolean()) {
                Thread.sleep(50);
            } else {
                // One last look: the writer may have appended between our read and its exit.
                n = in.read(buf, got, buf.length - got);
                if (n <= 0) {
                    return false;
                }
                got += n;
            }
        }
        return true;
    }
}
