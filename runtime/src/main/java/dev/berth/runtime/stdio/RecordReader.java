package dev.berth.runtime.stdio;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads {@link Record}s from a log file or an attach stream; a torn last record ends the stream. */
public final class RecordReader implements AutoCloseable {
    private final DataInputStream in;

    public RecordReader(InputStream in) {
        this.in = new DataInputStream(in);
    }

    /** The next record, or null at the end. */
    public Record next() throws IOException {
        byte[] header = new byte[Record.HEADER];
        try {
            in.readFully(header);
            ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int stream = b.get(0);
            int length = b.getInt(4);
            long nanos = b.getLong(8);
            byte[] data = new byte[length];
            in.readFully(data);
            return new Record(stream, nanos, data);
        } catch (EOFException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
