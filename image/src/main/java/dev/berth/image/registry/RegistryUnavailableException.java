package dev.berth.image.registry;

import java.util.List;

/** Transient failures (5xx, 429, refused or reset connections) that outlasted the retries. */
public final class RegistryUnavailableException extends RegistryException {
    public RegistryUnavailableException(String message, int status, List<RegistryError> errors, Throwable cause) {
        super(message, status, errors, cause);
    }
}
