package dev.berth.cli.http;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Docker's stdout/stderr multiplexing (the "stdcopy" framing of attach, logs and exec without a
 * tty): each frame is an 8-byte header {stream, 0, 0, 0, size as big-endian uint32} and then
 * size bytes. Stream 0 is stdin (written back to stdout, as docker's stdcopy does), 1 stdout,
 * 2 stderr, 3 a "systemerr" message from the daemon, which ends the copy with an error.
 */
public final class StdStreamReader {
    private StdStreamReader() {}

    /** Copies frames to {@code out} and {@code err} until the stream ends; flushes after each frame. */
    public static void copy(InputStream in, OutputStream out, OutputStream err) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[8];
        byte[] buf = new byte[32 * 1024];
        while (true) {
            int first = data.read();
            if (first < 0) {
                return;
            }
            header[0] = (byte) first;
            try {
                data.readFully(header, 1, 7);
            } catch (EOFException e) {
                throw new IOException("stream ended inside a frame header");
            }
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            OutputStream target = switch (header[0]) {
                case 0, 1 -> out;
                case 2 -> err;
                case 3 -> null;
                default -> throw new IOException("unrecognized stream type " + header[0] + " in the multiplexed stream");
            };
            if (target == null) {
                byte[] message = new byte[(int) Math.min(size, 1 << 20)];
                data.readFully(message);
                throw new IOException("error from daemon in stream: " + new String(message, java.nio.charset.StandardCharsets.UTF_8));
            }
            while (size > 0) {
                int n = data.read(buf, 0, (int) Math.min(buf.length, size));
                if (n < 0) {
                    throw new IOException("stream ended inside a frame");
                }
                target.write(buf, 0, n);
                size -= n;
            }
            target.flush();
        }
    }
}
