package dev.berth.image.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.testkit.RegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A token server for docker's token auth (distribution docs, spec/auth/token.md and jwt.md), in
 * front of a real {@link RegistryServer}: it answers {@code GET /token?service=&scope=} with a JWT
 * signed RS256 by a key whose self-signed certificate is the registry's {@code rootcertbundle}
 * (the certificate also travels in the JWT's x5c header, which is how distribution 2.8 finds the
 * key). The key and certificate come from the JDK's keytool.
 * <p>
 * Policy: anonymous callers get "pull"; the one user with the right password gets "pull" and
 * "push"; a wrong password is a 401. Every request is recorded for assertions.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "berth-test-registry";
    public static final String ISSUER = "berth-test-issuer";

    /** One token request: who asked (null: anonymous) and for which scopes. */
    public record Request(String user, List<String> scopes) {}

    private final HttpServer server;
    private final PrivateKey key;
    private final String x5c;
    private final Path certPem;
    private final String user;
    private final String password;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    public TokenServer(Path dir, String user, String password) throws IOException, InterruptedException {
        this.user = user;
        this.password = password;
        Path keystore = dir.resolve("token.p12");
        this.certPem = dir.resolve("token.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "token", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", "CN=berth-test-token", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "berth-test", "-keypass", "berth-test");
        run(keytool, "-exportcert", "-rfc", "-alias", "token", "-keystore", keystore.toString(), "-storepass", "berth-test",
                "-file", certPem.toString());
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, "berth-test".toCharArray());
            this.key = (PrivateKey) ks.getKey("token", "berth-test".toCharArray());
            Certificate cert = ks.getCertificate("token");
            this.x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    /** The realm to configure the registry with. */
    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** The PEM certificate bundle to configure the registry with. */
    public Path rootCertBundle() {
        return certPem;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            String who = null;
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                if (!authorization.equals(new Credentials(user, password).basicAuthorization())) {
                    requests.add(new Request("(bad credentials)", List.of()));
                    reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"incorrect username or password\"}]}");
                    return;
                }
                who = user;
            }
            List<String> scopes = new ArrayList<>();
            String service = null;
            String query = ex.getRequestURI().getRawQuery();
            for (String pair : query == null ? new String[0] : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (name.equals("scope")) {
                    scopes.addAll(List.of(value.split(" ")));
                } else if (name.equals("service")) {
                    service = value;
                }
            }
            requests.add(new Request(who, List.copyOf(scopes)));
            if (!SERVICE.equals(service)) {
                reply(ex, 400, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"unknown service\"}]}");
                return;
            }
            String jwt = jwt(who, scopes);
            Instant now = Instant.now();
            ObjectNode body = RegistryJson.mapper().createObjectNode()
                    .put("token", jwt).put("expires_in", 300).put("issued_at", now.toString());
            reply(ex, 200, body.toString());
        }
    }

    private String jwt(String who, List<String> scopes) throws IOException {
        ObjectNode header = RegistryJson.mapper().createObjectNode().put("typ", "JWT").put("alg", "RS256");
        header.putArray("x5c").add(x5c);
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = RegistryJson.mapper().createObjectNode()
                .put("iss", ISSUER).put("sub", who == null ? "" : who).put("aud", SERVICE)
                .put("exp", now + 300).put("nbf", now - 10).put("iat", now).put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) {
            String[] parts = scope.split(":");
            if (parts.length != 3 || !parts[0].equals("repository")) {
                continue;
            }
            ObjectNode grant = access.addObject().put("type", "repository").put("name", parts[1]);
            ArrayNode actions = grant.putArray("actions");
            for (String action : parts[2].split(",")) {
                if (action.equals("pull") || (action.equals("push") && who != null)) {
                    actions.add(action);
                }
            }
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rs256.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
    }
}
