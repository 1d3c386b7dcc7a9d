package dev.berth.image;

/**
 * What an image operation reports when the request, not the machine, is at fault. The kinds follow
 * DESIGN.md's typed errors so that the API can map them to docker's status codes: {@link
 * ImageNotFoundException} to 404, {@link ImageConflictException} to 409, {@link
 * InvalidImageException} to 400. Failures of the machine stay {@link java.io.IOException}s (500).
 */
public abstract sealed class ImageException extends RuntimeException
        permits ImageNotFoundException, ImageConflictException, InvalidImageException {
    protected ImageException(String message) {
        super(message);
    }

    protected ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
