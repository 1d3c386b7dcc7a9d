package dev.berth.api.http;

/**
 * Turns what a handler threw into a status and message. The API layer supplies one that knows
 * the engine's typed errors (not found → 404, conflict → 409, invalid argument → 400); the
 * default knows only {@link HttpException} and malformed requests, and calls the rest 500.
 */
@FunctionalInterface
public interface ErrorMapper {
    /** The answer for {@code failure}, or null to let the default decide. */
    HttpError map(Throwable failure);

    /** A status and the text of docker's {@code {"message": ...}} body. */
    record HttpError(int status, String message) {}

    /** The mapping used when the caller's mapper returns null. */
    static HttpError fallback(Throwable failure) {
        if (failure instanceof HttpException h) {
            return new HttpError(h.status(), h.getMessage());
        }
        if (failure instanceof MalformedRequestException m) {
            return new HttpError(m.status(), m.getMessage());
        }
        String message = failure.getMessage();
        return new HttpError(500, message == null || message.isBlank() ? failure.getClass().getSimpleName() : message);
    }
}
