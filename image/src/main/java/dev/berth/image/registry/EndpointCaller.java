package dev.berth.image.registry;

import dev.berth.image.DigestMismatchException;
import dev.berth.image.registry.RegistryException.RegistryError;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends a {@link RegistryEndpoint}'s request and applies what every endpoint shares:
 * <ul>
 * <li>the scheme ({@link TransportPolicy}: http for loopback and insecure registries);</li>
 * <li>authentication: a registry is pinged once to learn its challenge, each request carries the
 *     Authorization its scopes need, and a 401 is answered once with fresh credentials or token;</li>
 * <li>redirects of GET and HEAD (blob storage), followed here rather than by HttpClient so that
 *     Authorization is only ever sent to the registry's own origin, never to the storage host;</li>
 * <li>retries of transient failures with exponential backoff (5xx, 429, refused or reset
 *     connections, bodies cut short), then a {@link RegistryUnavailableException};</li>
 * <li>error bodies turned into typed exceptions (401/403 auth, 404 not found).</li>
 * </ul>
 */
final class EndpointCaller {
    private static final int MAX_REDIRECTS = 10;

    private final HttpClient http;
    private final TransportPolicy transport;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final Duration readTimeout;
    private final String userAgent;
    private final Authenticator auth;

    EndpointCaller(HttpClient http, TransportPolicy transport, RetryPolicy retry, Duration requestTimeout,
                   Duration readTimeout, String userAgent, CredentialStore credentials) {
        this.http = http;
        this.transport = transport;
        this.retry = retry;
        this.requestTimeout = requestTimeout;
        this.readTimeout = readTimeout;
        this.userAgent = userAgent;
        this.auth = new Authenticator(credentials, this);
    }

    RetryPolicy retryPolicy() {
        return retry;
    }

    URI baseUri(String registry) {
        return transport.baseUri(registry);
    }

    /** Pings the registry and remembers how it wants to be authenticated. */
    PingResult ping(String registry) throws IOException {
        PingResult result = call(registry, new Ping(registry));
        auth.learn(registry, result.challenges());
        return result;
    }

    <T> T call(String registry, RegistryEndpoint<T> endpoint) throws IOException {
        URI base = transport.baseUri(registry);
        if (endpoint.authenticated() && !auth.knows(registry)) {
            ping(registry);
        }
        int max = endpoint.retriable() ? retry.maxAttempts() : 1;
        for (int attempt = 1; ; attempt++) {
            String failure;
            int status = 0;
            List<RegistryError> errors = List.of();
            IOException cause = null;
            try {
                HttpResponse<InputStream> response = exchange(registry, base, endpoint);
                try (InputStream body = response.body()) {
                    status = response.statusCode();
                    if (endpoint.accepts(status)) {
                        return endpoint.handle(response);
                    }
                    errors = RegistryErrors.parse(body);
                    if (!isTransient(status)) {
                        throw endpoint.error(status, errors);
                    }
                    String detail = RegistryErrors.describe(errors);
                    failure = RegistryErrors.statusLine(status) + (detail.isEmpty() ? "" : ": " + detail);
                }
            } catch (RegistryException | DigestMismatchException | InterruptedIOException e) {
                throw e; // answers and bad content: trying again would get the same
            } catch (IOException e) {
                failure = describe(e);
                cause = e;
            }
            if (attempt >= max) {
                String tries = attempt > 1 ? " (gave up after " + attempt + " attempts)" : "";
                throw new RegistryUnavailableException(endpoint.action() + ": " + failure + tries, status, errors, cause);
            }
            endpoint.retrying(attempt + 1, max, failure);
            retry.sleepBefore(attempt + 1);
        }
    }

    /** One request, with its 401 answered and its redirects followed. */
    private HttpResponse<InputStream> exchange(String registry, URI base, RegistryEndpoint<?> endpoint) throws IOException {
        URI uri = endpoint.uri(base);
        String authorization = endpoint.authenticated() ? auth.authorization(registry, endpoint.scopes()) : null;
        boolean reauthorized = false;
        int hops = 0;
        while (true) {
            boolean toRegistry = sameOrigin(uri, base);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout);
            if (uri.getScheme().equals("http")) {
                // h2c upgrade is pointless to a registry; HTTP/2 is negotiated over TLS (ALPN) only.
                b.version(HttpClient.Version.HTTP_1_1);
            }
            endpoint.headers().forEach(b::header);
            b.setHeader("User-Agent", userAgent);
            if (authorization != null && toRegistry) {
                b.setHeader("Authorization", authorization);
            }
            b.method(hops == 0 ? endpoint.method() : "GET".equals(endpoint.method()) ? "GET" : "HEAD",
                    hops == 0 ? endpoint.body() : HttpRequest.BodyPublishers.noBody());
            HttpResponse<InputStream> response = send(b.build());
            int status = response.statusCode();
            if (status == 401 && endpoint.authenticated() && toRegistry && !reauthorized) {
                String next = auth.reauthorize(registry,
                        AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate")), endpoint.scopes(), authorization);
                if (next != null) {
                    response.body().close();
                    authorization = next;
                    reauthorized = true;
                    continue;
                }
                return response;
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (isRedirect(status) && endpoint.followRedirects() && location.isPresent()) {
                response.body().close();
                if (++hops > MAX_REDIRECTS) {
                    throw new RegistryException(endpoint.action() + ": more than " + MAX_REDIRECTS + " redirects");
                }
                uri = uri.resolve(location.get());
                continue;
            }
            return response;
        }
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            // A body that stalls must not hang us: reads give up after readTimeout without a byte.
            return http.send(request, IdleTimeoutBody.handler(readTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + request.method() + " " + request.uri());
        }
    }

    static boolean isTransient(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme())
                && Objects.equals(a.getHost() == null ? null : a.getHost().toLowerCase(), b.getHost() == null ? null : b.getHost().toLowerCase())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** HttpClient's exceptions often carry no message ("ConnectException: null"): say what happened. */
    static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return e.getMessage() == null || e.getMessage().isBlank() ? "timed out" : e.getMessage();
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
