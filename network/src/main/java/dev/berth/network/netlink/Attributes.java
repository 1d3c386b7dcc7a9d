package dev.berth.network.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rtattr TLVs of a message (or of a nested attribute): {@code struct rtattr { u16 rta_len;
 * u16 rta_type; }} then the payload, padded to 4 bytes. The NLA_F_NESTED and NLA_F_NET_BYTEORDER
 * bits of the type are masked off. A repeated type keeps its first value.
 */
public final class Attributes {
    private static final int TYPE_MASK = 0x3fff;
    private final Map<Integer, byte[]> values;

    private Attributes(Map<Integer, byte[]> values) {
        this.values = values;
    }

    public static Attributes parse(byte[] data, int from) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        Map<Integer, byte[]> values = new HashMap<>();
        int at = from;
        while (at + 4 <= data.length) {
            int len = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & TYPE_MASK;
            if (len < 4 || at + len > data.length) {
                throw new IllegalStateException("malformed rtattr: length " + len + " at offset " + at);
            }
            values.putIfAbsent(type, Arrays.copyOfRange(data, at + 4, at + len));
            at += (len + 3) & ~3;
        }
        return new Attributes(values);
    }

    public Optional<byte[]> bytes(int type) {
        return Optional.ofNullable(values.get(type));
    }

    /** A NUL-terminated string attribute, without its NUL. */
    public Optional<String> string(int type) {
        return bytes(type).map(v -> {
            int end = 0;
            while (end < v.length && v[end] != 0) {
                end++;
            }
            return new String(v, 0, end, StandardCharsets.UTF_8);
        });
    }

    public Optional<Integer> u32(int type) {
        return bytes(type).filter(v -> v.length >= 4)
                .map(v -> ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt());
    }

    public Attributes nested(int type) {
        return bytes(type).map(v -> parse(v, 0)).orElse(new Attributes(Map.of()));
    }
}
