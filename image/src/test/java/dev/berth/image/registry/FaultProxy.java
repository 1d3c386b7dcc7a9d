package dev.berth.image.registry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP proxy in front of a real registry that misbehaves on request: answers 5xx, cuts a body
 * short, corrupts bytes, redirects blobs elsewhere, or asks for Basic auth itself. Everything else
 * is forwarded as is, and every request is recorded (method, path, Authorization) for assertions.
 * Built on the JDK's com.sun.net.httpserver; listens on loopback.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");

    /** What the proxy saw. */
    public record Seen(String method, String path, String authorization) {}

    private sealed interface Action {}
    private record Status(int code) implements Action {}
    private record CutAfter(long bytes) implements Action {}
    private record Corrupt() implements Action {}
    private record Redirect(URI to) implements Action {}
    private record StallAfter(long bytes) implements Action {}

    private static final class Fault {
        final Predicate<HttpExchange> when;
        final Action action;
        final AtomicInteger remaining;

        Fault(Predicate<HttpExchange> when, Action action, int times) {
            this.when = when;
            this.action = action;
            this.remaining = new AtomicInteger(times);
        }
    }

    private final HttpServer server;
    private final URI upstream;
    private final String hostName;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
    private volatile String requiredAuthorization;
    private final java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);

    /** A proxy to {@code upstream}, reached as http://{@code hostName}:port ("127.0.0.1" or "localhost"). */
    public FaultProxy(URI upstream, String hostName) throws IOException {
        this.upstream = upstream;
        this.hostName = hostName;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    public FaultProxy(URI upstream) throws IOException {
        this(upstream, "127.0.0.1");
    }

    public String host() {
        return hostName + ":" + server.getAddress().getPort();
    }

    public URI url() {
        return URI.create("http://" + host());
    }

    public List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Predicate helpers: requests whose path contains {@code part} (and of this method, if not null). */
    public static Predicate<HttpExchange> path(String method, String part) {
        return ex -> (method == null || ex.getRequestMethod().equals(method)) && ex.getRequestURI().getPath().contains(part);
    }

    /** Answer {@code times} matching requests with {@code status} (and an error body). */
    public FaultProxy failWith(Predicate<HttpExchange> when, int status, int times) {
        faults.add(new Fault(when, new Status(status), times));
        return this;
    }

    /** Forward, but break the connection after {@code bytes} of the body, {@code times} times. */
    public FaultProxy cutAfter(Predicate<HttpExchange> when, long bytes, int times) {
        faults.add(new Fault(when, new CutAfter(bytes), times));
        return this;
    }

    /** Forward, but stop sending after {@code bytes} of the body and hold the connection open, {@code times} times. */
    public FaultProxy stallAfter(Predicate<HttpExchange> when, long bytes, int times) {
        faults.add(new Fault(when, new StallAfter(bytes), times));
        return this;
    }

    /** Forward with the body's bytes flipped (same length), {@code times} times. */
    public FaultProxy corrupt(Predicate<HttpExchange> when, int times) {
        faults.add(new Fault(when, new Corrupt(), times));
        return this;
    }

    /** Answer 307 to {@code to} + the same path and query, {@code times} times. */
    public FaultProxy redirect(Predicate<HttpExchange> when, URI to, int times) {
        faults.add(new Fault(when, new Redirect(to), times));
        return this;
    }

    /** Demand Basic auth with these credentials (the header is not forwarded). */
    public FaultProxy requireBasic(Credentials credentials) {
        this.requiredAuthorization = credentials.basicAuthorization();
        return this;
    }

    @Override
    public void close() {
        stalled.countDown();
        server.stop(0);
        http.close();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), authorization));
            byte[] requestBody = ex.getRequestBody().readAllBytes();
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fault-proxy\"");
                sendJson(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
                return;
            }
            Action action = null;
            for (Fault f : faults) {
                if (f.when.test(ex) && f.remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    action = f.action;
                    break;
                }
            }
            switch (action) {
                case Status s -> {
                    sendJson(ex, s.code(), "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"injected failure\"}]}");
                    return;
                }
                case Redirect r -> {
                    ex.getResponseHeaders().set("Location", r.to().resolve(ex.getRequestURI().getRawPath()
                            + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery())).toString());
                    ex.sendResponseHeaders(307, -1);
                    return;
                }
                case null, default -> forward(ex, requestBody, action);
            }
        }
    }

    private void forward(HttpExchange ex, byte[] requestBody, Action action) throws IOException {
        try {
            forwardOrFail(ex, requestBody, action);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void forwardOrFail(HttpExchange ex, byte[] requestBody, Action action) throws IOException, InterruptedException {
        URI target = upstream.resolve(ex.getRequestURI().getRawPath()
                + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .method(ex.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        ex.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase();
            if (!HOP_BY_HOP.contains(lower) && !(lower.equals("authorization") && requiredAuthorization != null)) {
                values.forEach(v -> b.header(name, v));
            }
        });
        HttpResponse<InputStream> response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        Headers out = ex.getResponseHeaders();
        String upstreamOrigin = upstream.getScheme() + "://" + upstream.getRawAuthority();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase();
            if (HOP_BY_HOP.contains(lower) || lower.equals("date") || lower.equals(":status")) {
                return;
            }
            for (String v : values) {
                // Upload Locations name the registry itself: keep the client talking to us.
                out.add(name, lower.equals("location") ? v.replace(upstreamOrigin, url().toString()) : v);
            }
        });
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (ex.getRequestMethod().equals("HEAD")) {
                if (length >= 0) {
                    out.set("Content-Length", Long.toString(length));
                }
                ex.sendResponseHeaders(response.statusCode(), -1);
                return;
            }
            byte[] body = in.readAllBytes();
            if (action instanceof Corrupt) {
                for (int i = 0; i < body.length; i += 997) {
                    body[i] ^= (byte) 0x5a;
                }
            }
            ex.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length == 0) {
                return;
            }
            OutputStream os = ex.getResponseBody();
            if (action instanceof CutAfter c) {
                os.write(body, 0, (int) Math.min(c.bytes(), body.length));
                os.flush();
                // An exception out of the handler makes com.sun.net.httpserver close the connection.
                throw new IOException("fault: connection cut after " + c.bytes() + " bytes");
            }
            if (action instanceof StallAfter st) {
                os.write(body, 0, (int) Math.min(st.bytes(), body.length));
                os.flush();
                stalled.await(30, java.util.concurrent.TimeUnit.SECONDS);
                throw new IOException("fault: stalled after " + st.bytes() + " bytes");
            }
            os.write(body);
            os.close();
        }
    }

    private static void sendJson(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }
}
