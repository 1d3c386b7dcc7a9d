package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Platform;
import dev.berth.testkit.RegistryServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth against the real registry protected by an htpasswd file (bcrypt, made with
 * apache2-utils' htpasswd), with credentials read from a docker config.json.
 */
@Timeout(120)
class RegistryAuthBasicTest {
    @TempDir
    Path dir;

    private RegistryServer registry;
    private ContentStore source;
    private RegistryTestImages.TestImage image;

    @BeforeEach
    void start() throws Exception {
        RegistryServer.assumeAvailable();
        Path htpasswd = RegistryServer.htpasswdFile(dir, "berth", "s3cret");
        if (htpasswd == null && System.getenv("CI") != null) {
            throw new AssertionError("htpasswd is not installed (apt-get install apache2-utils)");
        }
        Assumptions.assumeTrue(htpasswd != null, "htpasswd is not installed (apt-get install apache2-utils)");
        registry = RegistryServer.builder(dir.resolve("registry")).htpasswd(htpasswd).start();
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

    private CredentialStore dockerConfig(String user, String password) throws Exception {
        Path config = dir.resolve("docker").resolve("config.json");
        Files.createDirectories(config.getParent());
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Files.writeString(config, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        return CredentialStore.fromDockerConfig(config);
    }

    @Test
    void pingShowsTheBasicChallenge() throws Exception {
        try (RegistryClient client = client(CredentialStore.none())) {
            PingResult ping = client.ping(registry.host());
            assertThat(ping.requiresAuth()).isTrue();
            assertThat(ping.challenges()).extracting(AuthChallenge::scheme).containsExactly("basic");
        }
    }

    @Test
    void pushAndPullWithCredentialsFromConfigJson() throws Exception {
        Repository repo = new Repository(registry.host(), "private/busybox");
        try (RegistryClient client = client(dockerConfig("berth", "s3cret"))) {
            new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(), ProgressListener.none());
            PulledImage pulled = new ImagePuller(client, new ContentStore(dir.resolve("pulled")))
                    .pull(repo, "latest", ProgressListener.none());
            assertThat(pulled.digest()).isEqualTo(image.digest());
            assertThat(client.listTags(repo)).containsExactly("latest");
        }
    }

    @Test
    void withoutCredentialsPullAndPushAreDenied() throws Exception {
        Repository repo = new Repository(registry.host(), "private/busybox");
        try (RegistryClient client = client(CredentialStore.none())) {
            assertThatThrownBy(() -> new ImagePuller(client, new ContentStore(dir.resolve("pulled"))).pull(repo, "latest", ProgressListener.none()))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageStartingWith("pull access denied for " + registry.host()
                            + "/private/busybox, repository does not exist or may require 'docker login'");
            assertThatThrownBy(() -> new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(),
                    ProgressListener.none()))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageStartingWith("push access denied for " + registry.host() + "/private/busybox: unauthorized");
        }
    }

    @Test
    void wrongPasswordIsDenied() throws Exception {
        Repository repo = new Repository(registry.host(), "private/busybox");
        try (RegistryClient client = client(dockerConfig("berth", "wrong"))) {
            assertThatThrownBy(() -> new ImagePuller(client, new ContentStore(dir.resolve("pulled"))).pull(repo, "latest", ProgressListener.none()))
                    .isInstanceOf(RegistryAuthException.class)
                    .hasMessageContaining("unauthorized");
        }
    }
}
