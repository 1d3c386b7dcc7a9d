package dev.berth.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@code GET /v2/} with credentials: what {@code docker login} asks the daemon to check
 * (POST /auth). Unlike {@link Ping} the request is authenticated, so Basic credentials are sent
 * and a Bearer challenge is answered with a token fetched with them (no scope: a registry's token
 * server hands out a token for "no access" only to a user it knows).
 */
final class Login implements RegistryEndpoint<Void> {
    private final String registry;

    Login(String registry) {
        this.registry = registry;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/");
    }

    @Override
    public boolean accepts(int status) {
        return status == 200;
    }

    @Override
    public Void handle(HttpResponse<InputStream> response) throws IOException {
        response.body().close();
        return null;
    }

    @Override
    public String action() {
        return "login to " + registry;
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        if (status == 401 || status == 403) {
            // docker's wording (registry/auth.go loginV2)
            return new RegistryAuthException("login attempt to " + registry + "/v2/ failed with status: " + status + " "
                    + (status == 401 ? "Unauthorized" : "Forbidden"), status, errors);
        }
        return RegistryEndpoint.super.error(status, errors);
    }
}
