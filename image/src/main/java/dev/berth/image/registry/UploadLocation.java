package dev.berth.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The Location of an upload session. spec.md ("pushing blobs"): each answer's Location is where
 * the next step goes, and it may be relative ("/v2/...") and carry a query of its own (docker's
 * registry keeps a signed "_state" there), so it is resolved against the request and extended,
 * never rebuilt.
 */
final class UploadLocation {
    private UploadLocation() {}

    static URI from(HttpResponse<InputStream> response, String action) throws IOException {
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null || location.isBlank()) {
            throw new RegistryException(action + ": the registry answered " + response.statusCode() + " without a Location");
        }
        return response.uri().resolve(location);
    }

    /** {@code uri} with one more query parameter. */
    static URI withParam(URI uri, String name, String value) {
        String s = uri.toString();
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        String param = name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        return URI.create(s + (uri.getRawQuery() == null ? "?" : "&") + param);
    }
}
