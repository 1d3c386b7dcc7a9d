package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials from docker's config.json (CredentialStore). */
class RegistryCredentialsTest {
    @TempDir
    Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsBase64AuthAndUsernamePasswordEntries() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"auths": {
                   "localhost:5000": {"auth": "%s"},
                   "https://registry.example.com/v2/": {"username": "bob", "password": "s3cret"},
                   "empty.example.com": {}
                 },
                 "credsStore": "desktop"}
                """.formatted(b64("alice:pa:ss")));
        CredentialStore store = CredentialStore.fromDockerConfig(config);
        assertThat(store.lookup("localhost:5000")).contains(new Credentials("alice", "pa:ss"));
        assertThat(store.lookup("registry.example.com")).contains(new Credentials("bob", "s3cret"));
        assertThat(store.lookup("empty.example.com")).isEmpty();
        assertThat(store.lookup("localhost:5001")).isEmpty();
    }

    @Test
    void dockerHubAliasesShareOneEntry() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("u:p") + "\"}}}");
        CredentialStore store = CredentialStore.fromDockerConfig(config);
        for (String alias : new String[] {"docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1/"}) {
            assertThat(store.lookup(alias)).as(alias).contains(new Credentials("u", "p"));
        }
        assertThat(CredentialStore.of("docker.io", new Credentials("a", "b")).lookup("index.docker.io")).isPresent();
    }

    @Test
    void missingFileIsEmptyAndBadOnesSayWhere() throws Exception {
        assertThat(CredentialStore.fromDockerConfig(dir.resolve("nope.json")).lookup("x")).isEmpty();
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"auths\":{\"h\":{\"auth\":\"%%%\"}}}");
        assertThatThrownBy(() -> CredentialStore.fromDockerConfig(bad)).hasMessageContaining("auths[\"h\"].auth is not base64");
        Files.writeString(bad, "{not json");
        assertThatThrownBy(() -> CredentialStore.fromDockerConfig(bad)).hasMessageContaining("not valid JSON");
    }

    @Test
    void basicHeaderAndToStringHidesThePassword() {
        Credentials c = new Credentials("user", "pw");
        assertThat(c.basicAuthorization()).isEqualTo("Basic " + b64("user:pw"));
        assertThat(c.toString()).doesNotContain("pw");
    }
}
