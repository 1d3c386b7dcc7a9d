package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** http for loopback and insecure registries, https otherwise (TransportPolicy). */
class RegistryTransportPolicyTest {
    private final TransportPolicy none = new TransportPolicy(List.of());

    @Test
    void loopbackRegistriesUseHttp() {
        for (String r : List.of("localhost", "localhost:5000", "127.0.0.1:5000", "127.8.9.10", "[::1]:5000", "::1", "x.localhost:80")) {
            assertThat(none.baseUri(r).getScheme()).as(r).isEqualTo("http");
        }
        assertThat(none.baseUri("127.0.0.1:5000").toString()).isEqualTo("http://127.0.0.1:5000");
    }

    @Test
    void everythingElseUsesHttps() {
        for (String r : List.of("registry.example.com", "example.com:5000", "10.0.0.1:5000", "128.0.0.1", "localhostx:1")) {
            assertThat(none.baseUri(r).getScheme()).as(r).isEqualTo("https");
        }
    }

    @Test
    void insecureListMatchesHostHostPortAndCidr() {
        TransportPolicy p = new TransportPolicy(List.of("my.registry", "other:5000", "10.1.0.0/16"));
        assertThat(p.isInsecure("my.registry:443")).isTrue();
        assertThat(p.isInsecure("other:5000")).isTrue();
        assertThat(p.isInsecure("other:5001")).isFalse();
        assertThat(p.isInsecure("10.1.200.3:5000")).isTrue();
        assertThat(p.isInsecure("10.2.0.1:5000")).isFalse();
        assertThat(p.isInsecure("example.com")).isFalse();
    }

    @Test
    void dockerHubIsServedByRegistry1() {
        assertThat(none.baseUri("docker.io").toString()).isEqualTo("https://registry-1.docker.io");
        assertThat(none.baseUri("index.docker.io").toString()).isEqualTo("https://registry-1.docker.io");
        assertThat(new Repository("docker.io", "library/busybox").familiarName()).isEqualTo("busybox");
        assertThat(new Repository("localhost:5000", "a/b").familiarName()).isEqualTo("localhost:5000/a/b");
    }
}
