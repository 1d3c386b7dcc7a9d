package dev.berth.runtime;

/** A lifecycle operation was refused (no such container, wrong state, bad id). */
public final class ContainerException extends RuntimeException {
    private final int kind;

    public ContainerException(String message) {
        this(message, 409);
    }

    /** @param kind an HTTP-like class of error: 404 not found, 409 conflict, 400 bad input */
    public ContainerException(String message, int kind) {
        super(message);
        this.kind = kind;
    }

    public int kind() {
        return kind;
    }
}
