package dev.berth.runtime.stdio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One record of the shim's log and attach stream (native/src/stdio_relay.c): a 16-byte
 * little-endian header (u8 stream, 3 pad, u32 length, i64 realtime ns) and the bytes.
 */
public record Record(int stream, long nanos, byte[] data) {
    public static final int STDIN = 0, STDOUT = 1, STDERR = 2, CLOSE_STDIN = 3, RESIZE = 4;
    public static final int HEADER = 16;

    public Instant time() {
        return Instant.ofEpochSecond(0, nanos);
    }

    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(HEADER + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .put((byte) stream).put(new byte[3]).putInt(data.length).putLong(nanos).put(data).array();
    }

    public static Record resize(int rows, int cols) {
        return new Record(RESIZE, 0, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder())
                .putShort((short) rows).putShort((short) cols).array());
    }
}
