package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.image.registry.RegistryException.RegistryError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Docker's token authentication (distribution docs, spec/auth/token.md): {@code GET
 * realm?service=S&scope=repository:x:pull&scope=...}, with Basic credentials when we have them
 * and anonymously otherwise. The answer is {@code {"token": ..., "access_token": ...,
 * "expires_in": seconds, "issued_at": ...}}; either token field may be the one present.
 */
final class TokenRequest implements RegistryEndpoint<TokenRequest.Token> {
    /** token.md: "if expires_in is not given or is less than 60, assume 60 seconds". */
    private static final long MIN_EXPIRY_SECONDS = 60;

    record Token(String value, Instant expires) {
        boolean fresh() {
            // Renew a little early: the request it authorises may take a while to reach the registry.
            return Instant.now().plusSeconds(10).isBefore(expires);
        }
    }

    private final String realm;
    private final String service;
    private final List<Scope> scopes;
    private final Credentials credentials;

    TokenRequest(String realm, String service, List<Scope> scopes, Credentials credentials) {
        this.realm = realm;
        this.service = service;
        this.scopes = scopes;
        this.credentials = credentials;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI base) {
        StringBuilder q = new StringBuilder();
        if (service != null) {
            q.append("service=").append(enc(service));
        }
        for (Scope s : scopes) {
            q.append(q.isEmpty() ? "" : "&").append("scope=").append(enc(s.toString()));
        }
        if (credentials != null) {
            q.append(q.isEmpty() ? "" : "&").append("account=").append(enc(credentials.username()));
        }
        URI r = URI.create(realm);
        return URI.create(realm + (q.isEmpty() ? "" : (r.getRawQuery() == null ? "?" : "&") + q));
    }

    @Override
    public Map<String, String> headers() {
        return credentials == null ? Map.of() : Map.of("Authorization", credentials.basicAuthorization());
    }

    @Override
    public boolean authenticated() {
        return false;
    }

    @Override
    public boolean accepts(int status) {
        return status == 200;
    }

    @Override
    public Token handle(HttpResponse<InputStream> response) throws IOException {
        JsonNode body;
        try (InputStream in = response.body()) {
            body = RegistryJson.mapper().readTree(in.readNBytes(1 << 20));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RegistryException(action() + ": the token server's answer is not JSON");
        }
        String token = text(body, "token");
        if (token == null) {
            token = text(body, "access_token");
        }
        if (token == null) {
            throw new RegistryException(action() + ": the token server's answer has no token");
        }
        long expiresIn = body.has("expires_in") ? body.get("expires_in").asLong(0) : 0;
        Instant issued = Instant.now();
        String issuedAt = text(body, "issued_at");
        if (issuedAt != null) {
            try {
                Instant parsed = Instant.parse(issuedAt);
                // A clock far off ours would expire the token at once or never: trust our clock then.
                if (Duration.between(parsed, issued).abs().toMinutes() < 5) {
                    issued = parsed;
                }
            } catch (RuntimeException ignored) {
                // issued_at is optional; a malformed one is as good as absent
            }
        }
        return new Token(token, issued.plusSeconds(Math.max(MIN_EXPIRY_SECONDS, expiresIn)));
    }

    @Override
    public String action() {
        return "get token from " + realm;
    }

    @Override
    public RegistryException error(int status, List<RegistryError> errors) {
        if (status == 401 || status == 403) {
            String why = credentials != null ? "unauthorized: incorrect username or password"
                    : "unauthorized: authentication required";
            String detail = RegistryErrors.describe(errors);
            return new RegistryAuthException(action() + ": " + why + (detail.isEmpty() ? "" : " (" + detail + ")"), status, errors);
        }
        return RegistryEndpoint.super.error(status, errors);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
