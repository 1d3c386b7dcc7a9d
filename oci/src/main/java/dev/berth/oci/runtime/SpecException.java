package dev.berth.oci.runtime;

/** config.json is malformed or names something invalid; the message names the field. */
public final class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }
}
