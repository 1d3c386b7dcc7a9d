package dev.berth.api.http;

/**
 * Serves one request. Runs on the connection's virtual thread, so blocking is fine. What it
 * throws becomes an error response through the server's {@link ErrorMapper}, if nothing was sent
 * yet; once a response has started, the connection is closed instead, which is all HTTP/1.1 has
 * for "this body is incomplete" (RFC 9112 §8).
 */
@FunctionalInterface
public interface Handler {
    void handle(Request request, Response response) throws Exception;
}
