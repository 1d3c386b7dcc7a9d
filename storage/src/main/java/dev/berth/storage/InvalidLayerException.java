package dev.berth.storage;

import java.io.IOException;

/**
 * A layer archive that cannot be applied: corrupt or truncated compression, a malformed tar, an
 * entry type Linux cannot hold, an unknown media type, or content whose digest is not the one
 * announced. Nothing of it is left where the caller asked for it (see LayerUnpacker).
 */
public class InvalidLayerException extends IOException {
    public InvalidLayerException(String message) {
        super(message);
    }

    public InvalidLayerException(String message, Throwable cause) {
        super(message, cause);
    }
}
