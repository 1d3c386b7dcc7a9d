package dev.berth.image.registry;

import dev.berth.image.registry.RegistryException.RegistryError;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * One request of the distribution API and what its answers mean (in the spirit of jib's
 * RegistryEndpointProvider): each endpoint is a small class that builds its request and reads
 * its response; {@link EndpointCaller} does what they share (scheme, authentication, redirects,
 * retries, error bodies).
 */
interface RegistryEndpoint<T> {
    String method();

    /** The request URI; {@code base} is the registry's scheme://host. */
    URI uri(URI base);

    /** Accept, Content-Type, Content-Range...; never Authorization (the caller adds it). */
    default Map<String, String> headers() {
        return Map.of();
    }

    /** A fresh body for each send: a retry or a re-authenticated request sends it again. */
    default HttpRequest.BodyPublisher body() throws IOException {
        return HttpRequest.BodyPublishers.noBody();
    }

    /** The token scopes this request needs (docker's token auth); unused with Basic. */
    default List<Scope> scopes() {
        return List.of();
    }

    /** False for requests that carry their own credentials or none (ping, the token endpoint). */
    default boolean authenticated() {
        return true;
    }

    /**
     * Whether the caller may send the request again after a transient failure. Upload steps say
     * no: a half-sent chunk leaves the upload's offset unknown, so their job restarts the upload.
     */
    default boolean retriable() {
        return true;
    }

    /** Blob GETs are redirected to storage (spec.md, "pulling blobs": 307 to another host). */
    default boolean followRedirects() {
        return method().equals("GET") || method().equals("HEAD");
    }

    /** The statuses {@link #handle} understands; others become errors. */
    boolean accepts(int status);

    /** Reads an accepted response. An IOException here (a cut body) counts as transient. */
    T handle(HttpResponse<InputStream> response) throws IOException;

    /** What was being done, for messages: "GET manifest localhost:5000/a:latest". */
    String action();

    /** The error for a status it does not accept (and that is not transient). */
    default RegistryException error(int status, List<RegistryError> errors) {
        return RegistryErrors.standard(action(), status, errors);
    }

    /** Told before the caller tries again (progress reporting). */
    default void retrying(int attempt, int maxAttempts, String reason) {}
}
