package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutePatternTest {
    @Test
    void literalAndVariableSegments() {
        RoutePattern p = RoutePattern.parse("/containers/{id}/start");
        assertThat(p.match("/containers/abc/start")).isEqualTo(Map.of("id", "abc"));
        assertThat(p.match("/containers/abc/stop")).isNull();
        assertThat(p.match("/containers//start")).isNull();
        assertThat(p.match("/containers/a/b/start")).isNull();
        assertThat(p.match("/containers/abc/start/")).isNull();
        assertThat(RoutePattern.parse("/_ping").isLiteral()).isTrue();
        assertThat(p.isLiteral()).isFalse();
    }

    @Test
    void greedySegmentTakesEverythingBetweenPrefixAndSuffix() {
        RoutePattern json = RoutePattern.parse("/images/{name...}/json");
        assertThat(json.match("/images/localhost:5000/a/b:tag/json")).isEqualTo(Map.of("name", "localhost:5000/a/b:tag"));
        assertThat(json.match("/images/json/json")).isEqualTo(Map.of("name", "json"));
        assertThat(json.match("/images/a/json/json")).isEqualTo(Map.of("name", "a/json"));
        assertThat(json.match("/images/json")).isNull();
        assertThat(json.match("/images/a/b")).isNull();

        RoutePattern bare = RoutePattern.parse("/images/{name...}");
        assertThat(bare.match("/images/docker.io/library/busybox:latest")).isEqualTo(Map.of("name", "docker.io/library/busybox:latest"));

        RoutePattern tag = RoutePattern.parse("/plugins/{name...}/{action}");
        assertThat(tag.match("/plugins/vieux/sshfs:latest/enable")).isEqualTo(Map.of("name", "vieux/sshfs:latest", "action", "enable"));
    }

    @Test
    void badPatternsAreRejected() {
        assertThatThrownBy(() -> RoutePattern.parse("no-slash")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutePattern.parse("/{a...}/{b...}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutePattern.parse("/x{a}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RoutePattern.parse("/{a}/{a}")).isInstanceOf(IllegalArgumentException.class);
    }
}
