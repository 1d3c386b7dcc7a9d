package dev.berth.image;

/**
 * The operation would break something else unless forced, e.g. docker's "conflict: unable to
 * delete 3f57d9401f8d (must be forced) - image is referenced in multiple repositories".
 */
public final class ImageConflictException extends ImageException {
    public ImageConflictException(String message) {
        super(message);
    }
}
