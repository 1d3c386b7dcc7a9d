package dev.berth.image.registry;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;

/** {@code GET /v2/}: is this a v2 registry, and how does it want to be authenticated. */
final class Ping implements RegistryEndpoint<PingResult> {
    private final String registry;

    Ping(String registry) {
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
    public boolean authenticated() {
        return false;
    }

    @Override
    public boolean accepts(int status) {
        return status == 200 || status == 401;
    }

    @Override
    public PingResult handle(HttpResponse<InputStream> response) {
        return new PingResult(response.statusCode(),
                response.headers().firstValue("Docker-Distribution-API-Version").orElse(null),
                AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate")));
    }

    @Override
    public String action() {
        return "ping " + registry;
    }

    @Override
    public RegistryException error(int status, java.util.List<RegistryException.RegistryError> errors) {
        if (status == 404) {
            return new RegistryException(registry + " does not serve the registry v2 API (GET /v2/ answered 404)",
                    status, errors, null);
        }
        return RegistryEndpoint.super.error(status, errors);
    }
}
