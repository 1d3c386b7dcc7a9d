package dev.berth.cli.commands;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The X-Registry-Auth header docker sends with pull and push: base64url JSON of the credentials.
 * Berth's CLI keeps no credential store yet (login is not supported), so it is the empty object,
 * as docker sends for anonymous access.
 */
final class RegistryAuth {
    private RegistryAuth() {}

    static String header() {
        return Base64.getUrlEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8));
    }
}
