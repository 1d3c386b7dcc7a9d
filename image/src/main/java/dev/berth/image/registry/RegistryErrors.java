package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.image.registry.RegistryException.RegistryError;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reading the spec's error body (spec.md, "error codes") and turning a status into a typed exception. */
final class RegistryErrors {
    /** An error body is small; a registry that sends megabytes of it is not read further. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private RegistryErrors() {}

    /** The errors of a JSON error body; an empty list for a body that is not one. */
    static List<RegistryError> parse(InputStream body) {
        try {
            byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
            if (bytes.length == 0) {
                return List.of();
            }
            JsonNode errors = RegistryJson.mapper().readTree(bytes).get("errors");
            List<RegistryError> out = new ArrayList<>();
            if (errors != null && errors.isArray()) {
                for (JsonNode e : errors) {
                    JsonNode detail = e.get("detail");
                    out.add(new RegistryError(text(e.get("code")), text(e.get("message")),
                            detail == null || detail.isNull() ? null : detail.isTextual() ? detail.asText() : detail.toString()));
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static String describe(List<RegistryError> errors) {
        return errors.stream().map(RegistryError::describe).collect(Collectors.joining("; "));
    }

    /** The usual mapping: 401/403 are auth errors, 404 not found, anything else a plain registry error. */
    static RegistryException standard(String action, int status, List<RegistryError> errors) {
        String detail = describe(errors);
        return switch (status) {
            case 401 -> new RegistryAuthException(action + ": " + (detail.isEmpty() ? "unauthorized: authentication required" : detail), status, errors);
            case 403 -> new RegistryAuthException(action + ": " + (detail.isEmpty() ? "denied: requested access to the resource is denied" : detail), status, errors);
            case 404 -> new RegistryNotFoundException(action + ": " + (detail.isEmpty() ? "not found" : detail), status, errors);
            default -> new RegistryException(action + ": " + statusLine(status) + (detail.isEmpty() ? "" : ": " + detail), status, errors, null);
        };
    }

    static String statusLine(int status) {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
        return reason.isEmpty() ? String.valueOf(status) : status + " " + reason;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
