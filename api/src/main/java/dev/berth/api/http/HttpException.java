package dev.berth.api.http;

/**
 * A failure with the HTTP status it should be answered with. The server writes it as docker's
 * error body, {@code {"message": "..."}} (see the ErrorResponse schema of the Docker Engine API).
 */
public class HttpException extends RuntimeException {
    private final int status;

    public HttpException(int status, String message) {
        super(message);
        this.status = status;
    }

    public HttpException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static HttpException badRequest(String message) {
        return new HttpException(400, message);
    }

    public static HttpException notFound(String message) {
        return new HttpException(404, message);
    }

    public static HttpException conflict(String message) {
        return new HttpException(409, message);
    }
}
