package dev.berth.cli;

import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.JsonParser;
import dev.berth.cli.http.HttpResponse;
import dev.berth.cli.http.UnixHttpClient.Body;
import dev.berth.cli.http.UnixHttpClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Engine API as the commands use it: paths under the /v1.47 prefix, JSON in and out (as
 * plain maps and lists), and every error status turned into a {@link DaemonException} carrying
 * the daemon's own message.
 */
public final class Api {
    public static final String VERSION = "1.47";

    private final Host host;
    private final UnixHttpClient http;

    public Api(Host host) {
        this.host = host;
        this.http = new UnixHttpClient(host.socket());
    }

    public Host host() {
        return host;
    }

    /** A query string builder that leaves out null values; booleans as 1/0 as docker's client sends them. */
    public static final class Query {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        public Query put(String name, Object value) {
            if (value instanceof Boolean b) {
                values.put(name, new java.util.ArrayList<>(List.of(b ? "1" : "0")));
            } else if (value != null) {
                values.put(name, new java.util.ArrayList<>(List.of(value.toString())));
            }
            return this;
        }

        /** Appends another query's parameters after these. */
        public Query merge(Query other) {
            other.values.forEach((k, v) -> values.computeIfAbsent(k, x -> new java.util.ArrayList<>()).addAll(v));
            return this;
        }

        /** A repeated parameter (changes=...&changes=...). */
        public Query add(String name, String value) {
            values.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
            return this;
        }

        String encode() {
            if (values.isEmpty()) {
                return "";
            }
            StringBuilder s = new StringBuilder("?");
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                for (String v : e.getValue()) {
                    if (s.length() > 1) {
                        s.append('&');
                    }
                    s.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            }
            return s.toString();
        }
    }

    public static Query query() {
        return new Query();
    }

    /** A path segment (a container or image name) escaped for the URL; '/' kept for image names. */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/").replace("%3A", ":");
    }

    /** Sends the request; an error status becomes a DaemonException, a 2xx/1xx answer is returned open. */
    public HttpResponse call(String method, String path, Query query, Body body) throws CliException {
        return call(method, path, query, body, Map.of());
    }

    public HttpResponse call(String method, String path, Query query, Body body, Map<String, String> headers) throws CliException {
        HttpResponse r;
        try {
            r = http.send(method, "/v" + VERSION + path + (query == null ? "" : query.encode()), body, headers);
        } catch (IOException e) {
            throw cannotConnect(e);
        }
        if (!r.ok()) {
            try (r) {
                throw error(r);
            }
        }
        return r;
    }

    /** Hijacks the connection (docker's "Upgrade: tcp"): the answer's body and output are the raw streams. */
    public HttpResponse hijack(String path, Query query, Body body) throws CliException {
        return call("POST", path, query, body, Map.of("Connection", "Upgrade", "Upgrade", "tcp"));
    }

    public Object getJson(String path, Query query) throws CliException {
        try (HttpResponse r = call("GET", path, query, null)) {
            return parse(r);
        }
    }

    public Object postJson(String path, Query query, Object body) throws CliException {
        try (HttpResponse r = call("POST", path, query, body == null ? null : Body.json(GoJson.compact(body)))) {
            return parse(r);
        }
    }

    /** A request whose answer carries nothing the command needs (204). */
    public void send(String method, String path, Query query) throws CliException {
        try (HttpResponse r = call(method, path, query, null)) {
            r.body().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new CliException("error reading the daemon's answer: " + e.getMessage(), 1);
        }
    }

    private static Object parse(HttpResponse r) throws CliException {
        try {
            String text = r.bodyText();
            return text.isBlank() ? null : JsonParser.parse(text);
        } catch (IOException e) {
            throw new CliException("error reading the daemon's answer: " + e.getMessage(), 1);
        } catch (RuntimeException e) {
            throw new CliException("the daemon's answer is not JSON: " + e.getMessage(), 1);
        }
    }

    private static DaemonException error(HttpResponse r) {
        String text;
        try {
            text = r.bodyText();
        } catch (IOException e) {
            text = "";
        }
        String message = text.trim();
        if (message.startsWith("{")) {
            try {
                Object m = ((Map<?, ?>) JsonParser.parse(message)).get("message");
                if (m != null) {
                    message = m.toString();
                }
            } catch (RuntimeException ignored) {
                // not docker's error shape: show the body as it is
            }
        }
        if (message.isEmpty()) {
            message = r.status() == 404 ? "page not found" : "status " + r.status();
        }
        return new DaemonException(r.status(), message);
    }

    private CliException cannotConnect(IOException e) {
        if (!(e instanceof java.net.ConnectException)) {
            return new CliException("error during connect: " + e.getMessage(), 1);
        }
        return new CliException("Cannot connect to the Berth daemon at " + host.address() + ". Is the berth daemon running?", 1);
    }

    /** A field of a decoded JSON object, with nested names: {@code get(m, "State", "Status")}. */
    public static Object get(Object json, String... path) {
        Object v = json;
        for (String p : path) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            v = m.get(p);
        }
        return v;
    }

    public static String string(Object json, String... path) {
        Object v = get(json, path);
        return v == null ? "" : v.toString();
    }

    public static long number(Object json, String... path) {
        return get(json, path) instanceof Number n ? n.longValue() : 0;
    }

    /** A decoded JSON array as a list (an absent or null answer is empty). */
    @SuppressWarnings("unchecked")
    public static List<Object> asList(Object json) {
        return json instanceof List<?> l ? (List<Object>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object json, String... path) {
        return get(json, path) instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
