package dev.berth.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.EngineException;
import dev.berth.image.registry.CredentialStore;
import dev.berth.image.registry.Credentials;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The credentials a client sends with a pull or push in X-Registry-Auth (the API's AuthConfig:
 * base64url of {"username","password","serveraddress","identitytoken"}), or in the body of
 * POST /auth. dockerd keeps no credentials of its own: these are all it uses for that request.
 *
 * @param serverAddress the registry they are for, as the client named it (may be empty: then
 *                      they are for the registry of the image being moved)
 */
public record RegistryAuth(String username, String password, String serverAddress, String identityToken) {

    public static final RegistryAuth NONE = new RegistryAuth(null, null, null, null);

    /** From the header's value; null, empty or "{}" is no credentials. Malformed: docker's 400. */
    public static RegistryAuth fromHeader(String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        byte[] json;
        try {
            // docker's registry.DecodeAuthConfig: URL-safe base64; some clients pad, some do not,
            // some send the standard alphabet.
            json = Base64.getUrlDecoder().decode(header.trim().replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, "invalid X-Registry-Auth header: " + e.getMessage(), e);
        }
        return fromJson(new String(json, StandardCharsets.UTF_8));
    }

    /** From the JSON AuthConfig (POST /auth's body). */
    public static RegistryAuth fromJson(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new EngineException(400, "invalid X-Registry-Auth header: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            return NONE;
        }
        return new RegistryAuth(text(n, "username"), text(n, "password"), text(n, "serveraddress"), text(n, "identitytoken"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    public boolean present() {
        return username != null || identityToken != null;
    }

    /**
     * A credential store with these credentials for {@code registry} (the registry of the image
     * being moved: docker uses the header's credentials for it whatever serveraddress says).
     */
    public CredentialStore storeFor(String registry) {
        if (identityToken != null && password == null) {
            throw new EngineException(501, "identity tokens (OAuth2 refresh tokens) are not supported by this daemon; "
                    + "log in with a username and password");
        }
        if (username == null || password == null) {
            return CredentialStore.none();
        }
        return CredentialStore.of(registry, new Credentials(username, password));
    }

    @Override
    public String toString() {
        return "RegistryAuth[" + username + "@" + serverAddress + ", ****]";
    }
}
