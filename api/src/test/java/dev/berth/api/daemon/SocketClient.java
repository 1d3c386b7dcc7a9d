package dev.berth.api.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A bare HTTP/1.1 client on the daemon's socket: one request per connection, the whole answer read. */
final class SocketClient {
    record Response(int status, String body) {}

    private final Path socket;

    SocketClient(Path socket) {
        this.socket = socket;
    }

    Response call(String method, String path, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: berth\r\nConnection: close\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + body.length + "\r\n\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(body));
            byte[] all = Channels.newInputStream(ch).readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            int status = Integer.parseInt(text.substring(9, 12));
            String headers = text.substring(0, end).toLowerCase();
            String rest = text.substring(end + 4);
            return new Response(status, headers.contains("transfer-encoding: chunked") ? dechunk(rest) : rest);
        }
    }

    private static String dechunk(String chunked) throws IOException {
        InputStream in = new java.io.ByteArrayInputStream(chunked.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (;;) {
            StringBuilder size = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                if (c != '\r') {
                    size.append((char) c);
                }
            }
            int n = Integer.parseInt(size.toString().trim(), 16);
            if (n == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.write(in.readNBytes(n));
            in.readNBytes(2);
        }
    }
}
