package dev.berth.image.registry;

import java.io.IOException;
import java.util.List;

/**
 * A registry answered with an error, or could not be reached. {@code status} is the HTTP status
 * (0 when there was no answer); {@code errors} the spec's error body (spec.md, "error codes":
 * {@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"...","detail":...}]}}).
 */
public class RegistryException extends IOException {
    private final int status;
    private final List<RegistryError> errors;

    public RegistryException(String message, int status, List<RegistryError> errors, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public RegistryException(String message) {
        this(message, 0, List.of(), null);
    }

    public int status() {
        return status;
    }

    public List<RegistryError> errors() {
        return errors;
    }

    public boolean hasCode(String code) {
        return errors.stream().anyMatch(e -> code.equals(e.code()));
    }

    /** One entry of the spec's error body. */
    public record RegistryError(String code, String message, String detail) {
        /** As docker prints an errcode: "manifest unknown: manifest unknown" (the code in words, then the message). */
        public String describe() {
            String words = code == null ? null : code.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
            boolean hasMessage = message != null && !message.isEmpty();
            if (words == null) {
                return hasMessage ? message : "unknown error";
            }
            return hasMessage ? words + ": " + message : words;
        }
    }
}
