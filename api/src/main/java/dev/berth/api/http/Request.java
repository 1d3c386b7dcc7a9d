package dev.berth.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One request as a handler sees it: method, decoded path, query, headers, a body stream, and
 * what the {@link Router} found (path parameters, the API version of a {@code /vN.NN} prefix).
 */
public final class Request {
    private final RequestHead head;
    private final String path;
    private final String rawQuery;
    private final Query query;
    private final BodyInput body;
    private final ObjectMapper json;
    private Map<String, String> pathParams = Map.of();
    private ApiVersion apiVersion;

    Request(RequestHead head, BodyInput body, ObjectMapper json) throws MalformedRequestException {
        this.head = head;
        this.body = body;
        this.json = json;
        String target = originForm(head.target());
        int q = target.indexOf('?');
        // Go's server matches routes on the decoded path (URL.Path), so a %2F inside an image
        // name is a slash by the time a route sees it; ours does the same.
        this.path = PercentDecoder.path(q < 0 ? target : target.substring(0, q));
        this.rawQuery = q < 0 ? "" : target.substring(q + 1);
        this.query = Query.parse(rawQuery, json);
    }

    /**
     * The path and query of the target. RFC 9112 §3.2.2: a server MUST accept the absolute form
     * ({@code http://host/path}) too; the asterisk form is kept as is, and matches no route.
     */
    private static String originForm(String target) throws MalformedRequestException {
        if (target.startsWith("/") || target.equals("*")) {
            return target;
        }
        int scheme = target.indexOf("://");
        if (scheme > 0) {
            int slash = target.indexOf('/', scheme + 3);
            int question = target.indexOf('?', scheme + 3);
            if (slash < 0 || question >= 0 && question < slash) {
                return question < 0 ? "/" : "/" + target.substring(question);
            }
            return target.substring(slash);
        }
        throw new MalformedRequestException("malformed request target");
    }

    public String method() {
        return head.method();
    }

    /** The request-target exactly as sent. */
    public String target() {
        return head.target();
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String protocol() {
        return head.protocol();
    }

    /** The percent-decoded path, version prefix included. */
    public String path() {
        return path;
    }

    /** The query string as sent, without the '?'; empty when there is none. */
    public String rawQuery() {
        return rawQuery;
    }

    public Query query() {
        return query;
    }

    public Headers headers() {
        return head.headers();
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return head.headers().get(name);
    }

    /** A path parameter of the matched route, such as {@code id} in {@code /containers/{id}/start}. */
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route has no parameter " + name);
        }
        return v;
    }

    public Map<String, String> pathParams() {
        return pathParams;
    }

    /**
     * The API version the client asked for with a {@code /vN.NN} prefix, or, when it sent none,
     * the router's default (docker's "current" version). Empty only if the router has no
     * version range set and the client sent no prefix.
     */
    public Optional<ApiVersion> apiVersion() {
        return Optional.ofNullable(apiVersion);
    }

    void route(Map<String, String> params, ApiVersion version) {
        this.pathParams = Map.copyOf(params);
        this.apiVersion = version;
    }

    /** The declared length of the body; empty when chunked. */
    public OptionalLong contentLength() {
        if (body instanceof ChunkedBodyInput) {
            return OptionalLong.empty();
        }
        if (body instanceof BodyInput.Empty) {
            return OptionalLong.of(0);
        }
        return OptionalLong.of(Long.parseLong(head.headers().get("Content-Length").split(",")[0].strip()));
    }

    /** Whether the request carries a body (a non-zero Content-Length, or chunked). */
    public boolean hasBody() {
        return !(body instanceof BodyInput.Empty);
    }

    /**
     * The body. Reading it sends {@code 100 Continue} first if the client is waiting for one.
     * Malformed framing surfaces as {@link MalformedRequestException} (an IOException).
     */
    public InputStream body() {
        return body;
    }

    /**
     * The body bound to {@code type} with the server's Jackson mapper, or null when the body is
     * empty (docker clients send no body for "no options"). Explicit JSON nulls for absent
     * fields bind as nulls. Bad JSON is a 400 with Jackson's description of what is wrong.
     */
    public <T> T json(Class<T> type) throws IOException {
        byte[] bytes = body.readAllBytes();
        if (isBlank(bytes)) {
            return null;
        }
        try {
            return json.readValue(bytes, type);
        } catch (JsonProcessingException e) {
            throw HttpException.badRequest("invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** The body as a JSON tree, or null when empty. */
    public JsonNode jsonTree() throws IOException {
        return json(JsonNode.class);
    }

    /** RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". */
    boolean wantsKeepAlive() {
        Headers h = head.headers();
        if (h.hasToken("Connection", "close")) {
            return false;
        }
        return head.minorVersion() >= 1 || h.hasToken("Connection", "keep-alive");
    }

    boolean isHead() {
        return head.method().equals("HEAD");
    }

    int minorVersion() {
        return head.minorVersion();
    }

    BodyInput bodyInput() {
        return body;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return head.method() + " " + head.target();
    }
}
