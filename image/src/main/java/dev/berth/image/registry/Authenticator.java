package dev.berth.image.registry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * What to put in the Authorization header of a request to a registry. It learns each registry's
 * challenge (from the ping, or from a 401), then answers Basic challenges with the stored
 * credentials and Bearer challenges with a token from the realm (token.md), cached per
 * realm, service and scope set until it expires.
 */
final class Authenticator {
    /** Marks a registry whose ping answered 200: it wants no Authorization at all. */
    private static final AuthChallenge NONE = new AuthChallenge("none", Map.of());

    private final CredentialStore credentials;
    private final EndpointCaller caller;
    private final Map<String, AuthChallenge> challenges = new ConcurrentHashMap<>();
    private final Map<String, TokenRequest.Token> tokens = new ConcurrentHashMap<>();
    /** Token requests under way: parallel blob requests that need the same token wait for one fetch. */
    private final Map<String, CompletableFuture<TokenRequest.Token>> inflight = new ConcurrentHashMap<>();

    Authenticator(CredentialStore credentials, EndpointCaller caller) {
        this.credentials = credentials;
        this.caller = caller;
    }

    boolean knows(String registry) {
        return challenges.containsKey(registry);
    }

    /** Records how the registry challenged us (empty: it did not). Bearer wins over Basic, as in docker. */
    void learn(String registry, List<AuthChallenge> offered) {
        challenges.put(registry, pick(offered).orElse(NONE));
    }

    /** The Authorization value for a request needing {@code scopes}, or null to send none. */
    String authorization(String registry, List<Scope> scopes) throws IOException {
        AuthChallenge c = challenges.getOrDefault(registry, NONE);
        if (c.isBasic()) {
            return credentials.lookup(registry).map(Credentials::basicAuthorization).orElse(null);
        }
        if (c.isBearer()) {
            return "Bearer " + token(registry, c, scopes, false).value();
        }
        return null;
    }

    /**
     * After a 401 to a request sent with {@code sent}: a better Authorization value to send once
     * more, or null when there is none (no credentials, or the same ones already failed). A Bearer
     * challenge may name the scope it wants (error="insufficient_scope"): the new token asks for it too.
     */
    String reauthorize(String registry, List<AuthChallenge> offered, List<Scope> scopes, String sent) throws IOException {
        Optional<AuthChallenge> picked = pick(offered);
        if (picked.isEmpty()) {
            return null;
        }
        AuthChallenge c = picked.get();
        challenges.put(registry, c);
        String next;
        if (c.isBasic()) {
            next = credentials.lookup(registry).map(Credentials::basicAuthorization).orElse(null);
        } else {
            List<Scope> wanted = new ArrayList<>(scopes);
            String extra = c.param("scope");
            if (extra != null) {
                for (String s : extra.split(" ")) {
                    Scope parsed = parseScope(s);
                    if (parsed != null && !wanted.contains(parsed)) {
                        wanted.add(parsed);
                    }
                }
            }
            next = "Bearer " + token(registry, c, wanted, true).value();
        }
        return next == null || next.equals(sent) ? null : next;
    }

    private TokenRequest.Token token(String registry, AuthChallenge c, List<Scope> scopes, boolean renew) throws IOException {
        String realm = c.param("realm");
        if (realm == null) {
            throw new RegistryException(registry + " asked for a bearer token without saying where to get one (no realm)");
        }
        String service = c.param("service");
        TreeSet<String> sorted = new TreeSet<>();
        scopes.forEach(s -> sorted.add(s.toString()));
        String key = realm + "\n" + service + "\n" + String.join(" ", sorted);
        TokenRequest.Token cached = tokens.get(key);
        if (!renew && cached != null && cached.fresh()) {
            return cached;
        }
        CompletableFuture<TokenRequest.Token> mine = new CompletableFuture<>();
        CompletableFuture<TokenRequest.Token> other = renew ? null : inflight.putIfAbsent(key, mine);
        if (other != null) {
            return await(other);
        }
        try {
            Credentials creds = credentials.lookup(registry).orElse(null);
            TokenRequest.Token fresh = caller.call(registry, new TokenRequest(realm, service, scopes, creds));
            tokens.put(key, fresh);
            mine.complete(fresh);
            return fresh;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            if (!renew) {
                inflight.remove(key, mine);
            }
        }
    }

    private static TokenRequest.Token await(CompletableFuture<TokenRequest.Token> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a token");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
    }

    private static Optional<AuthChallenge> pick(List<AuthChallenge> offered) {
        return offered.stream().filter(AuthChallenge::isBearer).findFirst()
                .or(() -> offered.stream().filter(AuthChallenge::isBasic).findFirst());
    }

    /** "repository:a/b:pull,push" (the name may itself hold colons only with a port, which repository names cannot). */
    private static Scope parseScope(String s) {
        int first = s.indexOf(':');
        int last = s.lastIndexOf(':');
        if (first < 0 || last == first) {
            return null;
        }
        return new Scope(s.substring(0, first), s.substring(first + 1, last), List.of(s.substring(last + 1).split(",")));
    }
}
