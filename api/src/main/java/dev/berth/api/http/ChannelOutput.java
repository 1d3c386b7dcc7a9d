package dev.berth.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;

/**
 * The write side of a connection, unbuffered. Like {@link ChannelInput} it calls the channel
 * directly so that a writer never waits on a blocked reader. A failed write on a unix socket
 * means the peer is gone (EPIPE, ECONNRESET), so it surfaces as {@link ClientGoneException}.
 */
final class ChannelOutput extends OutputStream {
    private final SocketChannel channel;

    ChannelOutput(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        try {
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        } catch (ClosedChannelException e) {
            throw e; // we closed it ourselves (stop, or a handler closing its hijacked stream)
        } catch (IOException e) {
            throw new ClientGoneException("client went away: " + e.getMessage(), e);
        }
    }
}
