package dev.berth.cli.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One answer from the daemon: status, headers (names lower-cased) and the body, already decoded
 * from its framing (chunked, Content-Length, or up to the close). After {@code 101 UPGRADED} the
 * body is the raw hijacked stream and {@link #output()} writes to the other direction.
 */
public final class HttpResponse implements AutoCloseable {
    private final SocketChannel channel;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;
    private final OutputStream output;

    HttpResponse(SocketChannel channel, int status, Map<String, String> headers, InputStream body, OutputStream output) {
        this.channel = channel;
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.output = output;
    }

    public int status() {
        return status;
    }

    public boolean ok() {
        return status < 400;
    }

    /** The value of header {@code name} (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public InputStream body() {
        return body;
    }

    /** The request direction of a hijacked connection (attach, exec start). */
    public OutputStream output() {
        return output;
    }

    /** Closes the write half only: the daemon sees the end of stdin, output keeps flowing. */
    public void closeOutput() throws IOException {
        channel.shutdownOutput();
    }

    public String bodyText() throws IOException {
        return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Whether the daemon marks this stream as docker's multiplexed stdout/stderr framing. */
    public boolean multiplexed() {
        String type = header("Content-Type");
        return type != null && type.startsWith("application/vnd.docker.multiplexed-stream");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
