package dev.berth.api.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 client over a unix socket, for tests that need to see the wire:
 * keep-alive, interim responses, chunks as they arrive, hijacked streams, half-closes.
 */
final class RawClient implements AutoCloseable {
    final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    RawClient(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
        out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer bb = ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) {
                    channel.write(bb);
                }
            }
        };
    }

    RawClient send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        return this;
    }

    /** Sends a simple request with Host and an optional body (Content-Length framed). */
    RawClient request(String method, String target, String body, String... extraHeaders) throws IOException {
        StringBuilder sb = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: docker\r\n");
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        sb.append("\r\n");
        send(sb.toString());
        if (body != null) {
            send(body.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** Reads one line (CRLF stripped); null at EOF. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Status line and headers (names lower-cased). */
    Head readHead() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new EOFException("no response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
        return new Head(status, Integer.parseInt(status.split(" ")[1]), headers);
    }

    /** A whole response, body framed by Content-Length, chunked, or the connection closing. */
    Reply readResponse(boolean headRequest) throws IOException {
        Head head = readHead();
        byte[] body;
        int status = head.status();
        if (headRequest || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(head.headers().get("transfer-encoding"))) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] chunk;
            while ((chunk = readChunk()) != null) {
                b.write(chunk);
            }
            body = b.toByteArray();
        } else if (head.headers().containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(head.headers().get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Reply(head, new String(body, StandardCharsets.UTF_8));
    }

    Reply readResponse() throws IOException {
        return readResponse(false);
    }

    /** The next chunk's data, or null after the last chunk (trailers consumed). */
    byte[] readChunk() throws IOException {
        String sizeLine = readLine();
        if (sizeLine == null) {
            throw new EOFException("connection closed before the last chunk");
        }
        int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
        if (size == 0) {
            while (!readLine().isEmpty()) {
                // trailers
            }
            return null;
        }
        byte[] data = in.readNBytes(size);
        readLine();
        return data;
    }

    /** True when the server has closed the connection (read sees EOF). */
    boolean atEof() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    record Head(String statusLine, int status, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    record Reply(Head head, String body) {
        int status() {
            return head.status();
        }

        String header(String name) {
            return head.header(name);
        }
    }
}
