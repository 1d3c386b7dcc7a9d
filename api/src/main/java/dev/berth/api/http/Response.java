package dev.berth.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to one request. A handler picks exactly one way to answer:
 * <ul>
 *   <li>a whole body: {@link #json}, {@link #send}, {@link #text}, {@link #status}, {@link #error};
 *   <li>a body of known length written as it comes: {@link #body(int, String, long)};
 *   <li>a stream of unknown length, flushed message by message: {@link #stream} (events, logs -f,
 *       pull progress);
 *   <li>the raw connection: {@link #hijack} (attach, exec start).
 * </ul>
 * A handler that answers nothing gets {@code 200} with an empty body, as with Go's net/http.
 * The status line always says HTTP/1.1, the highest version we conform to (RFC 9110 §2.5).
 */
public final class Response {
    /** IMF-fixdate (RFC 9110 §5.6.7), the only Date format a sender may generate. */
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private enum State { OPEN, SENT, STREAMING, HIJACKED }

    private final HttpConnection conn;
    private final Request request; // null when answering a request that did not parse
    private final Headers headers = new Headers();
    private State state = State.OPEN;
    private boolean keepAlive;
    private boolean mustClose;
    private OutputStream openBody;

    Response(HttpConnection conn, Request request) {
        this.conn = conn;
        this.request = request;
        conn.config().responseHeaders().accept(headers);
    }

    /**
     * The headers that will be sent, already holding what the server's response-header hook
     * added (docker's {@code Api-Version}, {@code Server}, ...). Set more before answering.
     * Framing headers (Content-Length, Transfer-Encoding, Connection) are the server's to set.
     */
    public Headers headers() {
        return headers;
    }

    public Response header(String name, String value) {
        headers.set(name, value);
        return this;
    }

    /** Whether the status line has gone out; after that the status can no longer change. */
    public boolean committed() {
        return state != State.OPEN;
    }

    /** Jackson-serialized {@code value}, with a trailing newline as Go's json.Encoder (and so dockerd) writes. */
    public void json(int status, Object value) throws IOException {
        byte[] bytes = conn.config().json().writeValueAsBytes(value);
        byte[] body = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, body, 0, bytes.length);
        body[bytes.length] = '\n';
        send(status, "application/json", body);
    }

    public void json(Object value) throws IOException {
        json(200, value);
    }

    /** Docker's error body, {@code {"message": "..."}} (the Engine API's ErrorResponse). */
    public void error(int status, String message) throws IOException {
        json(status, Map.of("message", message == null ? "" : message));
    }

    public void text(int status, String text) throws IOException {
        send(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without content: {@code 204}, or e.g. {@code 201} with {@code Content-Length: 0}. */
    public void status(int status) throws IOException {
        send(status, null, new byte[0]);
    }

    /** A complete body; {@code contentType} may be null when there is none. */
    public void send(int status, String contentType, byte[] body) throws IOException {
        begin();
        if (contentType != null) {
            headers.set("Content-Type", contentType);
        }
        if (StatusText.forbidsBody(status)) {
            headers.remove("Content-Length").remove("Transfer-Encoding");
            body = new byte[0];
        } else {
            headers.set("Content-Length", Long.toString(body.length));
        }
        decideKeepAlive(true);
        writeHead(status, StatusText.of(status));
        if (!isHead() && body.length > 0) {
            conn.out().write(body);
        }
        conn.out().flush();
        state = State.SENT;
    }

    /**
     * A body of exactly {@code length} bytes, written by the caller. Closing the stream ends it;
     * closing it short (or writing past the length) is an IOException and the connection is
     * closed, since the client could not tell the body ended (RFC 9112 §8).
     */
    public OutputStream body(int status, String contentType, long length) throws IOException {
        if (StatusText.forbidsBody(status)) {
            throw new IllegalArgumentException("status " + status + " has no content");
        }
        begin();
        headers.set("Content-Type", contentType);
        headers.set("Content-Length", Long.toString(length));
        decideKeepAlive(true);
        writeHead(status, StatusText.of(status));
        state = State.STREAMING;
        openBody = isHead() ? OutputStream.nullOutputStream() : new FixedLengthBodyOutput(conn, length);
        return openBody;
    }

    /**
     * Starts a streamed body of unknown length and sends the head at once, so the client sees
     * the status before the first message (docker events prints nothing until then). On
     * HTTP/1.1 the body is chunked (RFC 9112 §7.1) and every {@link ResponseStream#flush()}
     * puts one chunk on the wire; on HTTP/1.0 it runs until the connection closes.
     *
     * <p>A streamed response is always the last on its connection ({@code Connection: close}):
     * watching for the client going away reads from the socket, which could swallow the start
     * of a pipelined request, and a Go client would not retry a POST it lost that way.
     */
    public ResponseStream stream(int status, String contentType) throws IOException {
        if (StatusText.forbidsBody(status)) {
            throw new IllegalArgumentException("status " + status + " has no content");
        }
        begin();
        headers.set("Content-Type", contentType);
        headers.remove("Content-Length");
        boolean chunked = !isHead() && request.minorVersion() >= 1;
        if (chunked) {
            headers.set("Transfer-Encoding", "chunked");
        }
        decideKeepAlive(isHead());
        writeHead(status, StatusText.of(status));
        conn.out().flush();
        state = State.STREAMING;
        ResponseStream stream = new ResponseStream(conn, request.bodyInput(), chunked, isHead());
        openBody = stream;
        return stream;
    }

    /**
     * Takes over the connection for a raw bidirectional stream, as dockerd does for
     * {@code POST /containers/{id}/attach} and {@code POST /exec/{id}/start}. Per the Engine API
     * docs ("Hijacking"): when the client sent {@code Upgrade} (docker sends
     * {@code Connection: Upgrade} and {@code Upgrade: tcp}) the answer is
     * {@code 101 UPGRADED} with {@code Connection: Upgrade} and the same {@code Upgrade}; without
     * it, {@code 200 OK}; either way with {@code contentType}
     * ({@link Hijacked#RAW_STREAM} for a tty, {@link Hijacked#MULTIPLEXED_STREAM} otherwise) and
     * no framing, so the stream is whatever follows the blank line.
     *
     * <p>What is left of the request body is read first, so the hijacked input starts with the
     * first byte after it.
     */
    public Hijacked hijack(String contentType) throws IOException {
        if (isHead()) {
            throw new IllegalStateException("a HEAD request cannot be hijacked");
        }
        begin();
        request.bodyInput().drain(Long.MAX_VALUE);
        if (!request.bodyInput().finished()) {
            throw new MalformedRequestException("request body did not end before the hijacked stream");
        }
        String upgrade = request.header("Upgrade");
        headers.set("Content-Type", contentType);
        headers.remove("Content-Length").remove("Transfer-Encoding");
        int status;
        String reason;
        if (upgrade != null) {
            status = 101;
            reason = "UPGRADED"; // dockerd's wording, which the docs quote
            headers.set("Connection", "Upgrade");
            headers.set("Upgrade", upgrade.isBlank() ? "tcp" : upgrade);
        } else {
            status = 200;
            reason = "OK";
            headers.remove("Connection");
        }
        keepAlive = false;
        writeHead(status, reason);
        conn.out().flush();
        state = State.HIJACKED;
        return new Hijacked(conn, status == 101);
    }

    boolean hijacked() {
        return state == State.HIJACKED;
    }

    /** Whether the connection may carry another request after this response. */
    boolean keepAlive() {
        return keepAlive;
    }

    /**
     * Ends the exchange after the handler returned: an unanswered request gets an empty 200; an
     * open body is closed (the last chunk goes out). A fixed-length body left short makes the
     * connection close.
     */
    void finish() throws IOException {
        switch (state) {
            case OPEN -> status(200);
            case STREAMING -> {
                try {
                    openBody.close();
                } catch (IOException e) {
                    keepAlive = false;
                    throw e;
                }
            }
            case SENT, HIJACKED -> {}
        }
    }

    /** After a failure mid-body: no more on this connection; the client sees the body cut short. */
    void abort() {
        forceClose();
    }

    /** This connection carries no further exchange (the request framing was bad, say). */
    void forceClose() {
        mustClose = true;
        keepAlive = false;
    }

    private void begin() {
        if (state != State.OPEN) {
            throw new IllegalStateException("response already " + state.name().toLowerCase(Locale.ROOT));
        }
    }

    private boolean isHead() {
        return request != null && request.isHead();
    }

    /**
     * RFC 9112 §9.3 and §9.6: keep the connection when the client wants to, the framing lets the
     * client find the end of this response, the server is not stopping, and an unread body with
     * a pending {@code Expect: 100-continue} does not leave us unsure what comes next.
     */
    private void decideKeepAlive(boolean framed) {
        keepAlive = framed
                && !mustClose
                && request != null
                && request.wantsKeepAlive()
                && !conn.stopping()
                && !(conn.expectsContinue() && !request.bodyInput().started());
        if (!keepAlive) {
            headers.set("Connection", "close");
        } else if (request.minorVersion() == 0) {
            headers.set("Connection", "keep-alive");
        } else {
            headers.remove("Connection");
        }
    }

    private void writeHead(int status, String reason) throws IOException {
        headers.setIfAbsent("Date", IMF_FIXDATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        conn.sentFinalHead();
        conn.out().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Answers a request that did not parse, then the connection closes. */
    static void rejectUnparsed(HttpConnection conn, int status, String message) throws IOException {
        Response r = new Response(conn, null);
        r.error(status, message);
    }
}
