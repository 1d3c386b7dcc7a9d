package dev.berth.api.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Method and path routing the way dockerd does it (api/server/server.go):
 * <ul>
 *   <li>Every route answers both bare and under a version prefix {@code /v{version:[0-9.]+}};
 *       the prefix is stripped before matching and its version handed to the handler through
 *       {@link Request#apiVersion()}.
 *   <li>With {@link #versions} set, a version outside the range is a 400 with dockerd's wording
 *       ("client version 1.12 is too old. Minimum supported API version is 1.24, ..."), and a
 *       request without a prefix is served as the newest version (dockerd's default version).
 *   <li>An unknown path, or a known path with another method, is 404
 *       {@code {"message":"page not found"}}: dockerd installs its not-found handler as
 *       gorilla/mux's method-not-allowed handler too, so there is no 405.
 *   <li>HEAD falls back to the GET route when no HEAD route is registered; the response then
 *       carries the GET's headers and no body (RFC 9110 §9.3.2).
 *   <li>Routes without parameters win over patterns; patterns are tried in registration order.
 * </ul>
 */
public final class Router implements Handler {
    /** dockerd's versionMatcher, "/v{version:[0-9.]+}", followed by the rest of the path. */
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v([0-9][0-9.]*)(/.*)$");

    private record Route(String method, RoutePattern pattern, Handler handler) {}

    private final Map<String, Map<String, Handler>> literal = new HashMap<>(); // method -> path -> handler
    private final Map<String, List<Route>> patterns = new LinkedHashMap<>(); // method -> routes
    private ApiVersion minVersion;
    private ApiVersion maxVersion;
    private Handler notFound = (req, res) -> res.error(404, "page not found");

    public Router get(String pattern, Handler handler) {
        return add("GET", pattern, handler);
    }

    public Router head(String pattern, Handler handler) {
        return add("HEAD", pattern, handler);
    }

    public Router post(String pattern, Handler handler) {
        return add("POST", pattern, handler);
    }

    public Router put(String pattern, Handler handler) {
        return add("PUT", pattern, handler);
    }

    public Router delete(String pattern, Handler handler) {
        return add("DELETE", pattern, handler);
    }

    /** Registers {@code handler} for {@code method} on {@code pattern}; see {@link RoutePattern} for the syntax. */
    public synchronized Router add(String method, String pattern, Handler handler) {
        RoutePattern p = RoutePattern.parse(pattern);
        if (p.isLiteral()) {
            Handler previous = literal.computeIfAbsent(method, m -> new HashMap<>()).putIfAbsent(pattern, handler);
            if (previous != null) {
                throw new IllegalArgumentException("route registered twice: " + method + " " + pattern);
            }
        } else {
            patterns.computeIfAbsent(method, m -> new ArrayList<>()).add(new Route(method, p, handler));
        }
        return this;
    }

    /**
     * The API versions served, as dockerd's MinAPIVersion and DefaultVersion: requests asking
     * for a version outside get 400; requests without a prefix are given {@code max}.
     */
    public synchronized Router versions(ApiVersion min, ApiVersion max) {
        if (min.compareTo(max) > 0) {
            throw new IllegalArgumentException("min version " + min + " above max " + max);
        }
        this.minVersion = min;
        this.maxVersion = max;
        return this;
    }

    /** What answers when nothing matches; docker's 404 "page not found" unless set. */
    public synchronized Router notFound(Handler handler) {
        this.notFound = handler;
        return this;
    }

    @Override
    public void handle(Request request, Response response) throws Exception {
        String path = request.path();
        String requested = null;
        Matcher m = VERSION_PREFIX.matcher(path);
        if (m.matches()) {
            requested = m.group(1);
            path = m.group(2);
        }
        Match match = find(request.method(), path);
        if (match == null && request.method().equals("HEAD")) {
            match = find("GET", path);
        }
        if (match == null) {
            notFound.handle(request, response);
            return;
        }
        request.route(match.params(), version(requested));
        match.handler().handle(request, response);
    }

    /** The version to serve the request as; 400 when it is outside the configured range. */
    private ApiVersion version(String requested) {
        ApiVersion min;
        ApiVersion max;
        synchronized (this) {
            min = minVersion;
            max = maxVersion;
        }
        if (requested == null) {
            return max;
        }
        ApiVersion v;
        try {
            v = ApiVersion.parse(requested);
        } catch (IllegalArgumentException e) {
            throw HttpException.badRequest("invalid API version: " + requested);
        }
        if (min != null && v.lessThan(min)) {
            throw HttpException.badRequest("client version " + requested + " is too old. Minimum supported API version is "
                    + min + ", please upgrade your client to a newer version");
        }
        if (max != null && v.compareTo(max) > 0) {
            throw HttpException.badRequest("client version " + requested + " is too new. Maximum supported API version is " + max);
        }
        return v;
    }

    private record Match(Handler handler, Map<String, String> params) {}

    private synchronized Match find(String method, String path) {
        Map<String, Handler> exact = literal.get(method);
        if (exact != null) {
            Handler h = exact.get(path);
            if (h != null) {
                return new Match(h, Map.of());
            }
        }
        for (Route r : patterns.getOrDefault(method, List.of())) {
            Map<String, String> params = r.pattern().match(path);
            if (params != null) {
                return new Match(r.handler(), params);
            }
        }
        return null;
    }
}
