package dev.berth.cli.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Line reading for the status line, headers and chunk sizes (ISO-8859-1, CRLF or LF). */
final class HttpWire {
    private static final int MAX_LINE = 64 * 1024;

    private HttpWire() {}

    /** The next line without its terminator, or null at the end of the stream. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                break;
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("malformed HTTP response: line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        int n = line.size();
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return n > 0 && s.charAt(n - 1) == '\r' ? s.substring(0, n - 1) : s;
    }
}
