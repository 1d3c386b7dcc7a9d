package dev.berth.image.registry;

import java.util.List;

/** 404: the repository, manifest, tag or blob does not exist. */
public final class RegistryNotFoundException extends RegistryException {
    public RegistryNotFoundException(String message, int status, List<RegistryError> errors) {
        super(message, status, errors, null);
    }
}
