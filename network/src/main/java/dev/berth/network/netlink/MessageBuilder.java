package dev.berth.network.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Encodes one netlink request: the 16-byte nlmsghdr, a fixed family header (ifinfomsg, ifaddrmsg,
 * rtmsg), then rtattr TLVs, each padded to 4 bytes (netlink(7), rtnetlink(7); NLMSG_ALIGN and
 * RTA_ALIGN of linux/netlink.h and linux/rtnetlink.h). Nested attributes are an rtattr whose
 * payload is more rtattrs; their length is patched in when the nest ends. Host byte order
 * (little-endian here) for every integer, network order only where the payload is an address.
 */
public final class MessageBuilder {
    static final int HEADER = 16;

    private byte[] buf = new byte[256];
    private int size;
    private final Deque<Integer> nests = new ArrayDeque<>();

    /** Starts a message of {@code type} (RTM_*) with {@code flags} (NLM_F_*); seq is set by {@link #build}. */
    public MessageBuilder(int type, int flags) {
        putInt(0); // nlmsg_len, patched in build()
        putShort(type);
        putShort(flags);
        putInt(0); // nlmsg_seq
        putInt(0); // nlmsg_pid: 0 addresses the kernel
    }

    /** struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; } */
    public MessageBuilder ifinfomsg(int family, int index, int flags, int change) {
        putByte(family);
        putByte(0);
        putShort(0);
        putInt(index);
        putInt(flags);
        putInt(change);
        return this;
    }

    /** struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; } */
    public MessageBuilder ifaddrmsg(int family, int prefixLength, int scope, int index) {
        putByte(family);
        putByte(prefixLength);
        putByte(0);
        putByte(scope);
        putInt(index);
        return this;
    }

    /** struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; } */
    public MessageBuilder rtmsg(int family, int dstLength, int table, int protocol, int scope, int type) {
        putByte(family);
        putByte(dstLength);
        putByte(0);
        putByte(0);
        putByte(table);
        putByte(protocol);
        putByte(scope);
        putByte(type);
        putInt(0);
        return this;
    }

    public MessageBuilder attr(int type, byte[] payload) {
        putShort(4 + payload.length);
        putShort(type);
        put(payload);
        pad();
        return this;
    }

    /** A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND). */
    public MessageBuilder attr(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(s, s.length + 1));
    }

    public MessageBuilder attrInt(int type, int value) {
        return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** Opens a nested attribute; everything until the matching {@link #endNest()} is its payload. */
    public MessageBuilder beginNest(int type) {
        nests.push(size);
        putShort(0);
        putShort(type);
        return this;
    }

    public MessageBuilder endNest() {
        int start = nests.pop();
        patchShort(start, size - start);
        return this;
    }

    /** The message with its length and {@code seq} filled in. */
    public byte[] build(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed nested attribute");
        }
        byte[] out = Arrays.copyOf(buf, size);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        b.putInt(0, size);
        b.putInt(8, seq);
        return out;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    private void putByte(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    private void putShort(int v) {
        ensure(2);
        ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()).putShort(size, (short) v);
        size += 2;
    }

    private void patchShort(int at, int v) {
        ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()).putShort(at, (short) v);
    }

    private void putInt(int v) {
        ensure(4);
        ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()).putInt(size, v);
        size += 4;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void pad() {
        while ((size & 3) != 0) {
            putByte(0);
        }
    }
}
