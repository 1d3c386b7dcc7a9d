package dev.berth.image.registry;

import java.util.List;

/** 401 or 403: no credentials, wrong ones, or not allowed (docker's "pull access denied ..."). */
public final class RegistryAuthException extends RegistryException {
    public RegistryAuthException(String message, int status, List<RegistryError> errors) {
        super(message, status, errors, null);
    }
}
