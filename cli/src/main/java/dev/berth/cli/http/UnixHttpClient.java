package dev.berth.cli.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over the daemon's unix socket with the JDK's own SocketChannel: no FFM, no HTTP
 * library, a connection per request (the daemon is local; a connect costs microseconds).
 *
 * <p>Bodies go out with a Content-Length when their size is known and chunked otherwise (a
 * {@code load} from stdin). A request with {@code Upgrade: tcp} is docker's hijack: the answer
 * {@code 101} turns the connection into a raw duplex stream (attach, exec start).
 */
public final class UnixHttpClient {
    private static final byte[] CRLF = {'\r', '\n'};

    private final Path socket;

    public UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** What to send: a body of bytes, a stream of known or unknown length, or none. */
    public record Body(String contentType, byte[] bytes, InputStream stream, long length) {
        public static Body json(String json) {
            return new Body("application/json", json.getBytes(StandardCharsets.UTF_8), null, -1);
        }

        public static Body stream(String contentType, InputStream in, long length) {
            return new Body(contentType, null, in, length);
        }
    }

    /** Sends a request and returns once the status line and headers have arrived. */
    public HttpResponse send(String method, String target, Body body, Map<String, String> extraHeaders) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new java.net.ConnectException(socket + ": " + e.getMessage());
            }
            OutputStream out = Channels.newOutputStream(ch);
            StringBuilder head = new StringBuilder(256);
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: api.moby.localhost\r\n")
                    .append("User-Agent: Berth-Client/0.1\r\n");
            for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            boolean chunked = false;
            if (body != null) {
                head.append("Content-Type: ").append(body.contentType()).append("\r\n");
                if (body.bytes() != null) {
                    head.append("Content-Length: ").append(body.bytes().length).append("\r\n");
                } else if (body.length() >= 0) {
                    head.append("Content-Length: ").append(body.length()).append("\r\n");
                } else {
                    head.append("Transfer-Encoding: chunked\r\n");
                    chunked = true;
                }
            } else if (method.equals("POST") || method.equals("PUT")) {
                head.append("Content-Length: 0\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            if (body != null && body.bytes() != null) {
                // One write for small requests: the daemon reads the head and body without waiting twice.
                ByteBuffer all = ByteBuffer.allocate(headBytes.length + body.bytes().length).put(headBytes).put(body.bytes()).flip();
                while (all.hasRemaining()) {
                    ch.write(all);
                }
            } else {
                out.write(headBytes);
                if (body != null) {
                    copyBody(body.stream(), out, chunked);
                }
            }
            out.flush();
            return readResponse(ch, method, out);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void copyBody(InputStream in, OutputStream out, boolean chunked) throws IOException {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (n == 0) {
                continue;
            }
            if (chunked) {
                out.write((Integer.toHexString(n)).getBytes(StandardCharsets.ISO_8859_1));
                out.write(CRLF);
            }
            out.write(buf, 0, n);
            if (chunked) {
                out.write(CRLF);
            }
        }
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static HttpResponse readResponse(SocketChannel ch, String method, OutputStream out) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 16 * 1024);
        String statusLine = HttpWire.readLine(in);
        if (statusLine == null) {
            throw new IOException("the daemon closed the connection without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("malformed HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new HashMap<>();
        for (String line = HttpWire.readLine(in); line != null && !line.isEmpty(); line = HttpWire.readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        InputStream body;
        String te = headers.get("transfer-encoding");
        String length = headers.get("content-length");
        if (status == 101) {
            body = in;
        } else if (method.equals("HEAD") || status == 204 || status == 304) {
            body = InputStream.nullInputStream();
        } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = new ChunkedInputStream(in);
        } else if (length != null) {
            body = new BoundedInputStream(in, Long.parseLong(length));
        } else {
            body = in; // up to the close, as HTTP/1.1 allows
        }
        return new HttpResponse(ch, status, headers, body, out);
    }
}
