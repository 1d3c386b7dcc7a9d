package dev.berth.oci.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mirrors the tables of distribution/reference's normalize_test.go and reference_test.go (adapted
 * to normalized parsing: every result has a registry), plus Berth's own error messages.
 */
class ImageReferenceTest {
    private static final String SHA256_F = "sha256:" + "f".repeat(64);
    private static final String SHA512_F = "sha512:" + "f".repeat(128);
    private static final String REDIS_DIGEST = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c";

    /** input, registry, repository, tag (null = none), digest (null = none), familiar form. */
    static Stream<Arguments> valid() {
        return Stream.of(
                // familiar Hub names
                Arguments.of("busybox", "docker.io", "library/busybox", null, null, "busybox"),
                Arguments.of("busybox:1.36", "docker.io", "library/busybox", "1.36", null, "busybox:1.36"),
                Arguments.of("user/repo", "docker.io", "user/repo", null, null, "user/repo"),
                Arguments.of("user/repo:v1", "docker.io", "user/repo", "v1", null, "user/repo:v1"),
                Arguments.of("docker.io/debian", "docker.io", "library/debian", null, null, "debian"),
                Arguments.of("docker.io/library/debian", "docker.io", "library/debian", null, null, "debian"),
                Arguments.of("index.docker.io/debian", "docker.io", "library/debian", null, null, "debian"),
                Arguments.of("index.docker.io/docker/docker", "docker.io", "docker/docker", null, null, "docker/docker"),
                Arguments.of("library/debian", "docker.io", "library/debian", null, null, "debian"),
                Arguments.of("library/foo/bar", "docker.io", "library/foo/bar", null, null, "library/foo/bar"),
                Arguments.of("store/foo/bar", "docker.io", "store/foo/bar", null, null, "store/foo/bar"),
                Arguments.of("other/library", "docker.io", "other/library", null, null, "other/library"),
                Arguments.of("ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base", null, null, "ubuntu-12.04-base"),
                // a first component without '.' or ':' is a path, not a host
                Arguments.of("test_com", "docker.io", "library/test_com", null, null, "test_com"),
                Arguments.of("test_com/foo", "docker.io", "test_com/foo", null, null, "test_com/foo"),
                Arguments.of("docker/migrator", "docker.io", "docker/migrator", null, null, "docker/migrator"),
                // a single element is always a Hub name, even when it looks like host:port
                Arguments.of("test.com:tag", "docker.io", "library/test.com", "tag", null, "test.com:tag"),
                Arguments.of("test.com:5000", "docker.io", "library/test.com", "5000", null, "test.com:5000"),
                Arguments.of("localhost:5000", "docker.io", "library/localhost", "5000", null, "localhost:5000"),
                Arguments.of("foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", null, "foo_bar.com:8080"),
                Arguments.of("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", null, "foo/foo_bar.com:8080"),
                Arguments.of("192.168.0.1", "docker.io", "library/192.168.0.1", null, null, "192.168.0.1"),
                Arguments.of("192.168.0.1:80", "docker.io", "library/192.168.0.1", "80", null, "192.168.0.1:80"),
                Arguments.of("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", null, "lowercase:Uppercase"),
                Arguments.of("thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "docker.io",
                        "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", null, null,
                        "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"),
                // separators
                Arguments.of("docker-rules/docker", "docker.io", "docker-rules/docker", null, null, "docker-rules/docker"),
                Arguments.of("docker---rules/docker", "docker.io", "docker---rules/docker", null, null, "docker---rules/docker"),
                Arguments.of("dock__er/docker", "docker.io", "dock__er/docker", null, null, "dock__er/docker"),
                Arguments.of("d/docker", "docker.io", "d/docker", null, null, "d/docker"),
                Arguments.of("jess/t", "docker.io", "jess/t", null, null, "jess/t"),
                // registries
                Arguments.of("localhost/foo", "localhost", "foo", null, null, "localhost/foo"),
                Arguments.of("localhost:5000/a/b:1", "localhost:5000", "a/b", "1", null, "localhost:5000/a/b:1"),
                Arguments.of("test.com/foo", "test.com", "foo", null, null, "test.com/foo"),
                Arguments.of("test.com/repo:tag", "test.com", "repo", "tag", null, "test.com/repo:tag"),
                Arguments.of("test:5000/repo", "test:5000", "repo", null, null, "test:5000/repo"),
                Arguments.of("test:5000/repo:tag", "test:5000", "repo", "tag", null, "test:5000/repo:tag"),
                Arguments.of("test:5000/repo@" + SHA256_F, "test:5000", "repo", null, SHA256_F, "test:5000/repo@" + SHA256_F),
                Arguments.of("test:5000/repo:tag@" + SHA256_F, "test:5000", "repo", "tag", SHA256_F,
                        "test:5000/repo:tag@" + SHA256_F),
                Arguments.of("test.com:8080/foo", "test.com:8080", "foo", null, null, "test.com:8080/foo"),
                Arguments.of("test-com:8080/foo", "test-com:8080", "foo", null, null, "test-com:8080/foo"),
                Arguments.of("xn--n3h.com/foo", "xn--n3h.com", "foo", null, null, "xn--n3h.com/foo"),
                Arguments.of("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", null, null, "xn--n3h.com:18080/foo"),
                Arguments.of("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", null,
                        "xn--n3h.com/myimage:xn--n3h.com"),
                Arguments.of("xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512_F, "xn--7o8h.com", "myimage", "xn--7o8h.com",
                        SHA512_F, "xn--7o8h.com/myimage:xn--7o8h.com@" + SHA512_F),
                Arguments.of("sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux",
                        "some-long-tag", null, "sub-dom1.foo.com/bar/baz/quux:some-long-tag"),
                Arguments.of("b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app",
                        "test.example.com", null, "b.gcr.io/test.example.com/my-app:test.example.com"),
                Arguments.of("127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker", null, null,
                        "127.0.0.1:5000/docker/docker"),
                Arguments.of("127.0.0.1:5000/debian", "127.0.0.1:5000", "debian", null, null, "127.0.0.1:5000/debian"),
                Arguments.of("127.0.0.1:8000/private/moonbase", "127.0.0.1:8000", "private/moonbase", null, null,
                        "127.0.0.1:8000/private/moonbase"),
                Arguments.of("example.com:8000/privatebasee", "example.com:8000", "privatebasee", null, null,
                        "example.com:8000/privatebasee"),
                Arguments.of("192.168.1.1/repo", "192.168.1.1", "repo", null, null, "192.168.1.1/repo"),
                Arguments.of("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", null,
                        "192.168.1.1:5000/repo:5050"),
                Arguments.of("[2001:db8::1]/repo", "[2001:db8::1]", "repo", null, null, "[2001:db8::1]/repo"),
                Arguments.of("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", null,
                        "[2001:db8:1:2:3:4:5:6]/repo:tag"),
                Arguments.of("[2001:db8::1]:5000/repo:tag@" + SHA256_F, "[2001:db8::1]:5000", "repo", "tag", SHA256_F,
                        "[2001:db8::1]:5000/repo:tag@" + SHA256_F),
                Arguments.of("[::1]:5000/repo", "[::1]:5000", "repo", null, null, "[::1]:5000/repo"),
                Arguments.of("[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", null, null,
                        "[fc00::1]:5000/docker/docker"),
                // an upper-case first element can only be a host name
                Arguments.of("Foo/bar", "Foo", "bar", null, null, "Foo/bar"),
                Arguments.of("FOO/bar", "FOO", "bar", null, null, "FOO/bar"),
                Arguments.of("DOCKER/docker", "DOCKER", "docker", null, null, "DOCKER/docker"),
                // 64 hex digits are a repository name when a host disambiguates them
                Arguments.of("docker.io/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", "docker.io",
                        "library/1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a", null, null,
                        "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"),
                Arguments.of("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9", "docker.io",
                        "library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9", null, null,
                        "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9"),
                // tag and digest together
                Arguments.of("busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
                        "docker.io", "library/busybox", "latest",
                        "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
                        "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"),
                Arguments.of("redis@" + REDIS_DIGEST, "docker.io", "library/redis", null, REDIS_DIGEST, "redis@" + REDIS_DIGEST),
                Arguments.of("dmcgowan/myapp@" + REDIS_DIGEST, "docker.io", "dmcgowan/myapp", null, REDIS_DIGEST,
                        "dmcgowan/myapp@" + REDIS_DIGEST),
                Arguments.of("host/a@" + SHA256_F, "docker.io", "host/a", null, SHA256_F, "host/a@" + SHA256_F),
                Arguments.of("registry.example/a@" + SHA256_F, "registry.example", "a", null, SHA256_F,
                        "registry.example/a@" + SHA256_F),
                // the longest repository path that still fits
                Arguments.of("a/".repeat(127) + "a:tag-puts-this-over-max", "docker.io", "a/".repeat(127) + "a",
                        "tag-puts-this-over-max", null, "a/".repeat(127) + "a:tag-puts-this-over-max"),
                Arguments.of("busybox:" + "t".repeat(128), "docker.io", "library/busybox", "t".repeat(128), null,
                        "busybox:" + "t".repeat(128)),
                Arguments.of("busybox:_under", "docker.io", "library/busybox", "_under", null, "busybox:_under"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parsesAndNormalizes(String input, String registry, String repository, String tag, String digest, String familiar) {
        ImageReference ref = ImageReference.parseNormalizedNamed(input);
        assertThat(ref.registry()).isEqualTo(registry);
        assertThat(ref.repository()).isEqualTo(repository);
        assertThat(ref.tag().orElse(null)).isEqualTo(tag);
        assertThat(ref.digest().map(Digest::toString).orElse(null)).isEqualTo(digest);
        assertThat(ref.familiar()).isEqualTo(familiar);
        String expected = registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
        assertThat(ref).hasToString(expected);
        // The normalized and familiar forms are fixed points, except where the familiar form is a
        // bare 64-hex name, which reads as an image ID (as in docker).
        assertThat(ImageReference.parseNormalizedNamed(ref.toString())).isEqualTo(ref);
        if (!ref.familiar().matches("[a-f0-9]{64}")) {
            assertThat(ImageReference.parseNormalizedNamed(ref.familiar())).isEqualTo(ref);
        }
    }

    @Test
    void parseAddsLatestOnlyWhenThereIsNeitherTagNorDigest() {
        assertThat(ImageReference.parse("busybox")).hasToString("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("busybox").familiar()).isEqualTo("busybox:latest");
        assertThat(ImageReference.parse("localhost:5000/a/b")).hasToString("localhost:5000/a/b:latest");
        assertThat(ImageReference.parse("busybox:1")).hasToString("docker.io/library/busybox:1");
        assertThat(ImageReference.parse("busybox@" + SHA256_F)).hasToString("docker.io/library/busybox@" + SHA256_F);
        assertThat(ImageReference.parseNormalizedNamed("busybox")).hasToString("docker.io/library/busybox");
        assertThat(ImageReference.parseNormalizedNamed("busybox").isNameOnly()).isTrue();
    }

    /** input, the part of the message that says what is wrong. */
    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("", "repository name must have at least one component"),
                Arguments.of(":justtag", "repository name must have at least one component"),
                Arguments.of("@" + SHA256_F, "repository name must have at least one component"),
                Arguments.of("Uppercase:tag", "repository name (library/Uppercase) must be lowercase"),
                Arguments.of("Busybox", "repository name (library/Busybox) must be lowercase"),
                Arguments.of("docker/Docker", "repository name (docker/Docker) must be lowercase"),
                Arguments.of("docker.io/docker/Docker", "repository name (docker/Docker) must be lowercase"),
                Arguments.of("test:5000/Uppercase/lowercase:tag", "repository name (Uppercase/lowercase) must be lowercase"),
                Arguments.of("1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a",
                        "cannot specify 64-byte hexadecimal strings"),
                Arguments.of("repo@sha256:" + "f".repeat(34), "invalid checksum digest length"),
                Arguments.of("repo@sha256:" + "F".repeat(64), "invalid checksum digest format"),
                Arguments.of("validname@invaliddigest:" + "f".repeat(64), "unsupported digest algorithm \"invaliddigest\""),
                Arguments.of("repo@sha256:xyz", "invalid digest \"sha256:xyz\""),
                Arguments.of("a/".repeat(128) + "a:tag", "repository name must not be more than 255 characters"),
                Arguments.of("this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid"
                        + "_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its"
                        + "_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_greater_than"
                        + "_255/docker", "must not be more than 255 characters"),
                Arguments.of("aa/asdf$$^/aa", "invalid repository name component \"asdf$$^\""),
                Arguments.of("-docker", "invalid repository name component \"-docker\""),
                Arguments.of("-docker/docker", "invalid repository name component \"-docker\""),
                Arguments.of("docker-/docker", "invalid repository name component \"docker-\""),
                Arguments.of("-docker-/docker", "invalid repository name component \"-docker-\""),
                Arguments.of("____/____", "invalid repository name component \"____\""),
                Arguments.of("_docker/_docker", "invalid repository name component \"_docker\""),
                Arguments.of("dock..er/docker", "invalid registry host \"dock..er\""), // has a '.': read as a host
                Arguments.of("dock_.er/docker", "invalid registry host \"dock_.er\""), // has a '.': read as a host
                Arguments.of("dock-.er/docker", "invalid registry host \"dock-.er\""), // has a '.': read as a host
                Arguments.of("docker///docker", "has an empty path component"),
                Arguments.of("docker.io/docker///docker", "has an empty path component"),
                Arguments.of("docker/", "has an empty path component"),
                Arguments.of("-docker.io/docker/docker", "invalid registry host \"-docker.io\""),
                Arguments.of("https://github.com/docker/docker", "invalid registry host \"https:\""),
                Arguments.of("fc00::1:5000/debian", "invalid registry host \"fc00::1:5000\""),
                Arguments.of("[fe80::1%eth0]:5000/debian", "invalid registry host \"[fe80::1%eth0]:5000\""),
                Arguments.of("[2001:db8:3:4::192.0.2.33]:5000/debian", "invalid registry host"),
                Arguments.of("[fe80::1%@invalidzone]:5000/repo", "invalid"),
                Arguments.of("[fc00::1]", "invalid"),
                Arguments.of("[fc00::1]:5000", "invalid"),
                Arguments.of("[2001:db8::1]:tag", "invalid"),
                Arguments.of("busybox:", "empty tag after ':'"),
                Arguments.of("busybox:-tag", "invalid tag \"-tag\""),
                Arguments.of("busybox:.tag", "invalid tag \".tag\""),
                Arguments.of("busybox:" + "t".repeat(129), "invalid tag"),
                Arguments.of("busybox:a:b", "invalid tag \"a:b\""),
                Arguments.of("localhost:5000/a b", "invalid repository name component \"a b\""),
                // docker keeps this as a name without a registry; Berth refuses it (see parseCanonical)
                Arguments.of("foo_bar.com/x", "\"foo_bar.com\" is not a valid registry host name"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("invalid")
    void rejectsWithAMessageThatSaysWhy(String input, String why) {
        assertThatThrownBy(() -> ImageReference.parseNormalizedNamed(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
        assertThatThrownBy(() -> ImageReference.parse(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatErrorsStartLikeDockers() {
        assertThatThrownBy(() -> ImageReference.parse("Busybox"))
                .hasMessage("invalid reference format: repository name (library/Busybox) must be lowercase");
        assertThatThrownBy(() -> ImageReference.parse("a b")).hasMessageStartingWith("invalid reference format: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar"})
    void hubSpellingsAreTheSameReference(String input) {
        ImageReference ref = ImageReference.parseNormalizedNamed(input);
        assertThat(ref.name()).isEqualTo("docker.io/fooo/bar");
        assertThat(ref.familiarName()).isEqualTo("fooo/bar");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ubuntu", "library/ubuntu", "docker.io/ubuntu", "docker.io/library/ubuntu",
            "index.docker.io/library/ubuntu", "index.docker.io/ubuntu"})
    void officialImageSpellingsAreTheSameReference(String input) {
        assertThat(ImageReference.parse(input)).isEqualTo(ImageReference.parse("ubuntu:latest"));
        assertThat(ImageReference.parse(input).familiar()).isEqualTo("ubuntu:latest");
    }

    @Test
    void withTagAndWithDigestKeepTheOtherPart() {
        ImageReference foo = ImageReference.parseNormalizedNamed("test.com:8000/foo");
        assertThat(foo.withTag("TAG5")).hasToString("test.com:8000/foo:TAG5");
        Digest d = Digest.parse(SHA256_F);
        assertThat(foo.withDigest(d).withTag("TAG5")).hasToString("test.com:8000/foo:TAG5@" + SHA256_F);
        assertThat(foo.withTag("t").withDigest(d)).hasToString("test.com:8000/foo:t@" + SHA256_F);
        assertThat(ImageReference.parse("busybox:1").withTag("2").familiar()).isEqualTo("busybox:2");
        assertThat(foo.withTag("t").withDigest(d).nameOnly()).isEqualTo(foo);
        assertThatThrownBy(() -> foo.withTag("-foo")).hasMessageContaining("invalid tag format");
        assertThatThrownBy(() -> foo.withTag("a/b")).hasMessageContaining("invalid tag format");
        assertThat(ImageReference.isValidTag("v1.0_rc-2")).isTrue();
        assertThat(ImageReference.isValidTag("")).isFalse();
    }

    @Test
    void dockerRefPrefersTheDigestAndDefaultsTheTag() {
        String both = "busybox:latest@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa";
        assertThat(ImageReference.parse(both).dockerRef())
                .hasToString("docker.io/library/busybox@sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa");
        assertThat(ImageReference.parseNormalizedNamed("busybox").dockerRef()).hasToString("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("busybox:1").dockerRef()).hasToString("docker.io/library/busybox:1");
    }

    @Test
    void equalityIsOverTheNormalizedForm() {
        assertThat(ImageReference.parse("busybox")).isEqualTo(ImageReference.parse("docker.io/library/busybox:latest"))
                .hasSameHashCodeAs(ImageReference.parse("index.docker.io/busybox:latest"));
        assertThat(ImageReference.parse("busybox:1")).isNotEqualTo(ImageReference.parse("busybox:2"));
    }

    @Test
    void jsonIsTheNormalizedString() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ImageReference ref = ImageReference.parse("localhost:5000/a/b:1");
        String json = mapper.writeValueAsString(ref);
        assertThat(json).isEqualTo("\"localhost:5000/a/b:1\"");
        assertThat(mapper.readValue(json, ImageReference.class)).isEqualTo(ref);
    }
}
