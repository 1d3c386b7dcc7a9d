package dev.berth.image.registry;

/** A manifest or index that is malformed, of an unsupported media type, or not the content its digest names. */
public final class InvalidManifestException extends RegistryException {
    public InvalidManifestException(String message) {
        super(message);
    }
}
