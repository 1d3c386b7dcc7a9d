package dev.berth.image;

/** A manifest, config, archive or reference that cannot be an image; the message names the fault. */
public final class InvalidImageException extends ImageException {
    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
