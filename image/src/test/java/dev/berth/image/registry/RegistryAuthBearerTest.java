package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Platform;
import dev.berth.testkit.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker's token auth end to end: the real registry configured with {@code auth: token}, trusting
 * a certificate of our {@link TokenServer}, which signs JWTs (RS256, x5c). Anonymous callers may
 * pull, the user may also push.
 */
@Timeout(120)
class RegistryAuthBearerTest {
    @TempDir
    static Path keys;
    private static TokenServer tokens;

    @TempDir
    Path dir;

    private RegistryServer registry;
    private int before;
    private ContentStore source;
    private RegistryTestImages.TestImage image;

    @BeforeAll
    static void tokenServer() throws Exception {
        RegistryServer.assumeAvailable();
        tokens = new TokenServer(keys, "berth", "s3cret"); // one key pair for the class: keytool is slow
    }

    @AfterAll
    static void stopTokenServer() {
        if (tokens != null) {
            tokens.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        before = tokens.requests().size();
        registry = RegistryServer.builder(dir.resolve("registry"))
                .tokenAuth(tokens.realm(), TokenServer.SERVICE, TokenServer.ISSUER, tokens.rootCertBundle()).start();
        source = new ContentStore(dir.resolve("source"));
        image = RegistryTestImages.busybox(source, Platform.parse("linux/amd64"));
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private RegistryClient client(CredentialStore credentials) {
        return RegistryClient.builder().credentials(credentials)
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10))).build();
    }

    /** The token requests of the current test. */
    private java.util.List<TokenServer.Request> requests() {
        return tokens.requests().subList(before, tokens.requests().size());
    }

    private CredentialStore user(String password) {
        return CredentialStore.of(registry.host(), new Credentials("berth", password));
    }

    @Test
    void pingShowsTheBearerChallenge() throws Exception {
        try (RegistryClient client = client(CredentialStore.none())) {
            PingResult ping = client.ping(registry.host());
            assertThat(ping.requiresAuth()).isTrue();
            AuthChallenge c = ping.challenges().get(0);
            assertThat(c.isBearer()).isTrue();
            assertThat(c.param("realm")).isEqualTo(tokens.realm().toString());
            assertThat(c.param("service")).isEqualTo(TokenServer.SERVICE);
        }
    }

    @Test
    void userPushesAndAnonymousPulls() throws Exception {
        Repository repo = new Repository(registry.host(), "team/busybox");
        try (RegistryClient client = client(user("s3cret"))) {
            new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(), ProgressListener.none());
        }
        assertThat(requests()).as("one token serves the whole push")
                .containsExactly(new TokenServer.Request("berth", java.util.List.of("repository:team/busybox:pull,push")));

        int afterPush = tokens.requests().size();
        try (RegistryClient anonymous = client(CredentialStore.none())) {
            ImagePuller puller = new ImagePuller(anonymous, new ContentStore(dir.resolve("pulled")));
            PulledImage pulled = puller.pull(repo, "latest", ProgressListener.none());
            assertThat(pulled.digest()).isEqualTo(image.digest());
            new ImagePuller(anonymous, new ContentStore(dir.resolve("again"))).pull(repo, "latest", ProgressListener.none());
        }
        assertThat(tokens.requests().subList(afterPush, tokens.requests().size()))
                .as("anonymous, and cached per scope: one token for two pulls")
                .containsExactly(new TokenServer.Request(null, java.util.List.of("repository:team/busybox:pull")));
    }

    @Test
    void anonymousPushIsDenied() throws Exception {
        Repository repo = new Repository(registry.host(), "team/busybox");
        try (RegistryClient client = client(CredentialStore.none())) {
            assertThatThrownBy(() -> new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(),
                    ProgressListener.none()))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageStartingWith("push access denied for " + registry.host() + "/team/busybox");
        }
    }

    @Test
    void wrongPasswordIsRefusedByTheTokenServer() throws Exception {
        Repository repo = new Repository(registry.host(), "team/busybox");
        try (RegistryClient client = client(user("wrong"))) {
            assertThatThrownBy(() -> new ImagePuller(client, new ContentStore(dir.resolve("pulled"))).pull(repo, "latest",
                    ProgressListener.none()))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("unauthorized: incorrect username or password");
        }
    }

    @Test
    void crossRepositoryMountAsksForPullOnTheSource() throws Exception {
        try (RegistryClient client = client(user("s3cret"))) {
            ImagePusher pusher = new ImagePusher(client, source);
            pusher.push(new Repository(registry.host(), "library/base"), "latest", image.manifestBytes(), image.mediaType(),
                    ProgressListener.none());
            ProgressRecorder progress = new ProgressRecorder();
            pusher.push(new Repository(registry.host(), "team/app"), "latest", image.manifestBytes(), image.mediaType(),
                    java.util.Map.of(image.layers().get(0).parsedDigest(), new Repository(registry.host(), "library/base")), progress);
            assertThat(progress.last(image.layers().get(0).parsedDigest())).isEqualTo(LayerProgress.Phase.MOUNTED);
        }
        assertThat(requests()).anySatisfy(r -> assertThat(r.scopes())
                .containsExactlyInAnyOrder("repository:team/app:pull,push", "repository:library/base:pull"));
    }
}
