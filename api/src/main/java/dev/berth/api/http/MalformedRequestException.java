package dev.berth.api.http;

import java.io.IOException;

/**
 * The bytes on the wire are not HTTP/1.1 as RFC 9112 defines it. Thrown from the parser and the
 * body streams (so an I/O-shaped failure reaches the handler reading a body); the server answers
 * with {@link #status()} and closes the connection, because after a framing error it cannot know
 * where the next request starts (RFC 9112 §6.3, last paragraph).
 */
public final class MalformedRequestException extends IOException {
    private final int status;

    public MalformedRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public MalformedRequestException(String message) {
        this(400, message);
    }

    public int status() {
        return status;
    }
}
