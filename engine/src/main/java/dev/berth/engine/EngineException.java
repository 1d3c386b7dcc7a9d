package dev.berth.engine;

/**
 * An engine operation was refused or failed. {@code status} is the HTTP class the API answers
 * with: 400 bad parameter, 404 no such object, 409 conflict, 500 server error.
 */
public class EngineException extends RuntimeException {
    private final int status;

    public EngineException(int status, String message) {
        super(message);
        this.status = status;
    }

    public EngineException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
