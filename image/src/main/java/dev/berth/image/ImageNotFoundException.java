package dev.berth.image;

/** No image answers to this reference or ID; the message is docker's ("No such image: busybox:latest"). */
public final class ImageNotFoundException extends ImageException {
    private final String reference;

    public ImageNotFoundException(String reference) {
        super("No such image: " + reference);
        this.reference = reference;
    }

    /** What was asked for, as the user wrote it (or its familiar form). */
    public String reference() {
        return reference;
    }
}
