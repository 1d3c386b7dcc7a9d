package dev.berth.cli.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One command sent by bin/berth to the server's request FIFO: NUL-terminated fields, the client's
 * pid, the path of its reply FIFO, the argument count, then the arguments. The client writes it in
 * one write of at most PIPE_BUF (4096) bytes, which pipe(7) makes atomic: requests of clients
 * writing at once never interleave, though one read may return several.
 */
record Request(long pid, Path reply, List<String> args) {
    static Request read(InputStream in) throws IOException {
        long pid = Long.parseLong(field(in));
        Path reply = Path.of(field(in));
        int argc = Integer.parseInt(field(in));
        List<String> args = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            args.add(field(in));
        }
        return new Request(pid, reply, args);
    }

    private static String field(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != 0; c = in.read()) {
            if (c < 0) {
                throw new EOFException("request FIFO closed");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
