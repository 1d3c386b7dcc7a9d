package dev.berth.engine.container;

import dev.berth.runtime.stdio.Record;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's record log (docker logs): the rotated files oldest first (log.N ... log.1,
 * named by {@link LogOptions#rotated}), then the current one; with {@code follow}, what is
 * appended afterwards, across rotations, while the container runs.
 */
public final class LogFollower {
    public interface Sink {
        void accept(Output out) throws IOException;
    }

    /**
     * docker logs' selection: records from {@code since} up to {@code until} (null: no bound),
     * the last {@code tail} of them (negative: all).
     */
    public record Selection(Instant since, Instant until, int tail) {
        public static final Selection ALL = new Selection(null, null, -1);

        boolean admits(Output o) {
            return (since == null || !o.time().isBefore(since)) && (until == null || !o.time().isAfter(until));
        }
    }

    private LogFollower() {}

    static void copy(Path log, Selection selection, BooleanSupplier running, boolean follow, Sink sink)
            throws IOException, InterruptedException {
        // What is there now: every rotated file, then the current one up to its end.
        List<Path> files = new ArrayList<>();
        for (int i = 1; Files.exists(LogOptions.rotated(log, i)); i++) {
            files.addFirst(LogOptions.rotated(log, i));
        }
        ArrayDeque<Output> last = new ArrayDeque<>();
        Sink collect = o -> {
            if (selection.admits(o)) {
                if (selection.tail() < 0) {
                    sink.accept(o);
                } else if (selection.tail() > 0) {
                    if (last.size() == selection.tail()) {
                        last.removeFirst();
                    }
                    last.addLast(o);
                }
            }
        };
        for (Path f : files) {
            try (FileChannel in = FileChannel.open(f)) {
                readAll(in, collect);
            } catch (NoSuchFileException rotatedAway) {
                // renamed further meanwhile: its records were already read as the newer name's
            }
        }
        FileChannel current;
        try {
            current = FileChannel.open(log);
        } catch (NoSuchFileException e) {
            flush(last, sink);
            return;
        }
        Object key = fileKey(log);
        try {
            readAll(current, collect);
            flush(last, sink);
            if (!follow) {
                return;
            }
            Sink live = o -> {
                if (selection.admits(o)) {
                    sink.accept(o);
                }
            };
            // Following: read as the file grows; when the shim rotates, finish the renamed file
            // (still open here) and go on with the new one.
            for (;;) {
                boolean up = running.getAsBoolean();
                readAll(current, live);
                Object now = fileKey(log);
                if (now != null && !Objects.equals(now, key)) {
                    readAll(current, live);
                    current.close();
                    current = FileChannel.open(log);
                    key = now;
                    continue;
                }
                if (!up) {
                    readAll(current, live); // one last look: the writer may have appended before its exit
                    return;
                }
                Thread.sleep(50);
            }
        } finally {
            current.close();
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static void flush(ArrayDeque<Output> last, Sink sink) throws IOException {
        for (Output o : last) {
            sink.accept(o);
        }
        last.clear();
    }

    /** Passes on every whole record there is now; a record still being written is left for the next call. */
    private static void readAll(FileChannel ch, Sink sink) throws IOException {
        for (;;) {
            long start = ch.position();
            ByteBuffer header = ByteBuffer.allocate(Record.HEADER).order(ByteOrder.LITTLE_ENDIAN);
            if (!fill(ch, header)) {
                ch.position(start);
                return;
            }
            ByteBuffer data = ByteBuffer.allocate(header.getInt(4));
            if (!fill(ch, data)) {
                ch.position(start);
                return;
            }
            sink.accept(Output.of(new Record(header.get(0), header.getLong(8), data.array())));
        }
    }

    private static boolean fill(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) <= 0) {
                return false;
            }
        }
        return true;
    }
}
