package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {
    @Test
    void parsesDockerHubBearerChallenge() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertThat(c).hasSize(1);
        assertThat(c.get(0).isBearer()).isTrue();
        assertThat(c.get(0).param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.get(0).param("service")).isEqualTo("registry.docker.io");
        assertThat(c.get(0).param("scope")).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void parsesSeveralChallengesInOneHeader() {
        List<AuthChallenge> c = AuthChallenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"http://t/token\", service=\"s\"");
        assertThat(c).extracting(AuthChallenge::scheme).containsExactly("basic", "bearer");
        assertThat(c.get(0).param("realm")).isEqualTo("Registry Realm");
        assertThat(c.get(1).param("service")).isEqualTo("s");
    }

    @Test
    void schemeAndParameterNamesAreCaseInsensitiveAndValuesMayBeTokens() {
        List<AuthChallenge> c = AuthChallenge.parse("BEARER Realm=http://t/token , SERVICE = reg");
        assertThat(c.get(0).isBearer()).isTrue();
        assertThat(c.get(0).param("realm")).isEqualTo("http://t/token");
        assertThat(c.get(0).param("service")).isEqualTo("reg");
    }

    @Test
    void quotedStringsKeepCommasAndEscapes() {
        List<AuthChallenge> c = AuthChallenge.parse("Bearer realm=\"a,b \\\"c\\\"\",error=\"insufficient_scope\"");
        assertThat(c.get(0).param("realm")).isEqualTo("a,b \"c\"");
        assertThat(c.get(0).param("error")).isEqualTo("insufficient_scope");
    }

    @Test
    void schemeWithoutParametersAndToken68() {
        assertThat(AuthChallenge.parse("Negotiate")).containsExactly(new AuthChallenge("negotiate", java.util.Map.of()));
        assertThat(AuthChallenge.parse("Negotiate abc==").get(0).param("token68")).isEqualTo("abc==");
    }

    @Test
    void emptyOrGarbageGivesNoChallenges() {
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("")).isEmpty();
        assertThat(AuthChallenge.parse("  ,  ")).isEmpty();
        assertThat(AuthChallenge.parse("\"quoted\"")).isEmpty();
    }
}
