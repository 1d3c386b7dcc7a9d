package dev.berth.network.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One netlink message as received: its header fields and the bytes after the header. A datagram
 * from the kernel holds one or more of these back to back, each aligned to 4 bytes (netlink(7)).
 */
public record Message(int type, int flags, int seq, byte[] payload) {
    public static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3;

    /** Splits a datagram into its messages; a length that does not fit is a malformed reply. */
    public static List<Message> parseAll(byte[] datagram) {
        ByteBuffer b = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int at = 0;
        while (at + MessageBuilder.HEADER <= datagram.length) {
            int len = b.getInt(at);
            if (len < MessageBuilder.HEADER || at + len > datagram.length) {
                throw new IllegalStateException("malformed netlink message: length " + len + " at offset " + at
                        + " of a " + datagram.length + "-byte datagram");
            }
            out.add(new Message(b.getShort(at + 4) & 0xffff, b.getShort(at + 6) & 0xffff, b.getInt(at + 8),
                    Arrays.copyOfRange(datagram, at + MessageBuilder.HEADER, at + len)));
            at += (len + 3) & ~3;
        }
        return out;
    }

    /** The payload as a little-endian buffer (host order), positioned at 0. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
    }
}
