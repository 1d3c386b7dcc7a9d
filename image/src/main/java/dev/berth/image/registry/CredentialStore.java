package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials per registry host, as docker keeps them in config.json:
 * <pre>{"auths": {"localhost:5000": {"auth": base64("user:password")},
 *            "https://index.docker.io/v1/": {"username": "u", "password": "p"}}}</pre>
 * Keys are normalised the way docker's credential lookup does: a scheme and path are dropped
 * ("https://host:5000/v2/" is "host:5000"), and every Docker Hub alias (docker.io, index.docker.io,
 * registry-1.docker.io, https://index.docker.io/v1/) is one entry.
 * Credential helpers ("credsStore", "credHelpers") are not consulted.
 */
public final class CredentialStore {
    private static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private final Map<String, Credentials> byHost;

    private CredentialStore(Map<String, Credentials> byHost) {
        this.byHost = Map.copyOf(byHost);
    }

    public static CredentialStore none() {
        return new CredentialStore(Map.of());
    }

    public static CredentialStore of(String registry, Credentials credentials) {
        return new CredentialStore(Map.of(normalize(registry), credentials));
    }

    /** Reads a docker config.json; a missing file is an empty store, a malformed one an error. */
    public static CredentialStore fromDockerConfig(Path configJson) throws IOException {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (NoSuchFileException e) {
            return none();
        }
        JsonNode root;
        try {
            root = RegistryJson.mapper().readTree(text);
        } catch (IOException e) {
            throw new IOException(configJson + ": not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Credentials> out = new HashMap<>();
        JsonNode auths = root == null ? null : root.get("auths");
        if (auths != null && auths.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Credentials c = parseEntry(configJson, e.getKey(), e.getValue());
                if (c != null) {
                    out.put(normalize(e.getKey()), c);
                }
            }
        }
        return new CredentialStore(out);
    }

    /** $DOCKER_CONFIG/config.json, else ~/.docker/config.json (docker's own search). */
    public static CredentialStore fromDefaultDockerConfig() throws IOException {
        String dir = System.getenv("DOCKER_CONFIG");
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return fromDockerConfig(base.resolve("config.json"));
    }

    public Optional<Credentials> lookup(String registry) {
        return Optional.ofNullable(byHost.get(normalize(registry)));
    }

    private static Credentials parseEntry(Path file, String key, JsonNode entry) throws IOException {
        JsonNode auth = entry.get("auth");
        if (auth != null && auth.isTextual() && !auth.asText().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.asText().trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": auths[\"" + key + "\"].auth is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IOException(file + ": auths[\"" + key + "\"].auth is not base64(\"user:password\")");
            }
            return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        JsonNode user = entry.get("username");
        JsonNode password = entry.get("password");
        if (user != null && password != null && user.isTextual() && password.isTextual()) {
            return new Credentials(user.asText(), password.asText());
        }
        return null;
    }

    /** docker's ConvertToHostname, plus one key for all of Docker Hub's names. */
    static String normalize(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        if (k.equals(DOCKER_HUB_KEY)) {
            return DOCKER_HUB_KEY;
        }
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        int slash = k.indexOf('/');
        if (slash >= 0) {
            k = k.substring(0, slash);
        }
        return TransportPolicy.isDockerHub(k) ? DOCKER_HUB_KEY : k;
    }
}
