package dev.berth.engine.container;

import dev.berth.runtime.stdio.Record;
import dev.berth.runtime.stdio.RecordReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/** A connection to a container's shim: its live output, and its stdin. */
public final class AttachSession implements AutoCloseable {
    private final SocketChannel channel;
    private final RecordReader reader;
    private final OutputStream toShim;

    AttachSession(SocketChannel channel) {
        this.channel = channel;
        this.reader = new RecordReader(Channels.newInputStream(channel));
        this.toShim = Channels.newOutputStream(channel);
    }

    /** The next output, or null once the container has exited. */
    public Output next() throws IOException {
        Record r = reader.next();
        return r == null ? null : Output.of(r);
    }

    public void stdin(byte[] buf, int len) throws IOException {
        toShim.write(new Record(Record.STDIN, 0, Arrays.copyOf(buf, len)).encode());
    }

    public void closeStdin() throws IOException {
        toShim.write(new Record(Record.CLOSE_STDIN, 0, new byte[0]).encode());
    }

    public void resize(int rows, int cols) throws IOException {
        toShim.write(Record.resize(rows, cols).encode());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
