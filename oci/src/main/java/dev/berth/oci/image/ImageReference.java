package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference, {@code [registry/]repository[:tag][@digest]}, parsed and normalized the way
 * docker does it (github.com/distribution/reference: {@code ParseNormalizedNamed}, {@code
 * TagNameOnly}, {@code FamiliarString}), so that "busybox", "docker.io/busybox" and
 * "index.docker.io/library/busybox:latest" are the same image to Berth as they are to docker.
 *
 * <p>The grammar (distribution/reference's reference.go):
 * <pre>
 * reference        := name [ ":" tag ] [ "@" digest ]
 * name             := [domain '/'] remote-name
 * domain           := host [':' port-number]
 * host             := domain-name | IPv4address | \[ IPv6address \]
 * domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 * path-component   := alpha-numeric [separator alpha-numeric]*     alpha-numeric := /[a-z0-9]+/
 * separator        := /[_.]|__|[-]+/
 * tag              := /[\w][\w.-]{0,127}/
 * digest           := algorithm ":" hex                            (at least 32 hex digits)
 * </pre>
 *
 * <p>Normalization: the first path component is a registry only when it contains '.' or ':', is
 * "localhost", or has upper-case letters (which a repository may not); otherwise the registry is
 * docker.io, and a one-component name on docker.io gets the "library/" prefix. "index.docker.io"
 * is the legacy spelling of docker.io.
 *
 * <p>Instances are always normalized: {@link #registry()} is never empty.
 */
public final class ImageReference {
    /** Docker Hub's name in references; the registry API itself lives at registry-1.docker.io. */
    public static final String DEFAULT_REGISTRY = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    /** distribution/reference's RepositoryNameTotalLengthMax, counted over the path only. */
    public static final int REPOSITORY_MAX_LENGTH = 255;

    private static final String LEGACY_DEFAULT_REGISTRY = "index.docker.io";
    private static final String OFFICIAL_PREFIX = "library/";
    private static final String LOCALHOST = "localhost";

    // The grammar above as regular expressions, built exactly as distribution/reference's regexp.go
    // builds them so that both accept and reject the same strings.
    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String DOMAIN_AND_PORT = "(?:" + DOMAIN_NAME + "|" + IPV6 + ")(?::[0-9]+)?";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String NAME = "(?:" + DOMAIN_AND_PORT + "/)?" + REMOTE_NAME;

    private static final Pattern REFERENCE_RE =
            Pattern.compile("(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?");
    private static final Pattern NAME_RE = Pattern.compile("(?:(" + DOMAIN_AND_PORT + ")/)?(" + REMOTE_NAME + ")");
    private static final Pattern TAG_RE = Pattern.compile(TAG);
    private static final Pattern DIGEST_RE = Pattern.compile(DIGEST);
    private static final Pattern DOMAIN_RE = Pattern.compile(DOMAIN_AND_PORT);
    private static final Pattern PATH_COMPONENT_RE = Pattern.compile(PATH_COMPONENT);
    private static final Pattern IDENTIFIER_RE = Pattern.compile("[a-f0-9]{64}");

    private final String registry;
    private final String repository;
    private final String tag;
    private final Digest digest;

    private ImageReference(String registry, String repository, String tag, Digest digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses a reference as {@code docker pull} does: normalized, and tagged "latest" when it has
     * neither tag nor digest ({@code ParseNormalizedNamed} then {@code TagNameOnly}).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static ImageReference parse(String text) {
        return parseNormalizedNamed(text).withDefaultTag();
    }

    /**
     * Parses and normalizes a reference without adding a default tag: "busybox" stays a bare
     * repository name (as {@code docker images busybox} needs to match every tag).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    @JsonCreator
    public static ImageReference parseNormalizedNamed(String text) {
        if (text == null || text.isEmpty()) {
            throw invalid("repository name must have at least one component");
        }
        if (IDENTIFIER_RE.matcher(text).matches()) {
            // A bare 64-hex string is an image ID, never a repository: docker refuses the ambiguity.
            throw new IllegalArgumentException("invalid repository name (" + text
                    + "), cannot specify 64-byte hexadecimal strings");
        }
        String[] split = splitDockerDomain(text);
        String domain = split[0];
        String remainder = split[1];
        int colon = remainder.indexOf(':');
        String remote = colon >= 0 ? remainder.substring(0, colon) : remainder;
        if (!remote.toLowerCase(Locale.ROOT).equals(remote)) {
            throw invalid("repository name (" + remote + ") must be lowercase");
        }
        return parseCanonical(domain + "/" + remainder, text, domain);
    }

    /** True if {@code text} is a syntactically valid tag. */
    public static boolean isValidTag(String text) {
        return text != null && TAG_RE.matcher(text).matches();
    }

    /**
     * distribution/reference's splitDockerDomain: decides whether the first component names a
     * registry, and applies docker.io's "library/" prefix to one-component names.
     */
    private static String[] splitDockerDomain(String name) {
        int slash = name.indexOf('/');
        String domain;
        String remainder;
        if (slash < 0) {
            // "ubuntu" or "ubuntu:latest": a single element is always a Hub name (so "localhost:5000"
            // alone is repository "localhost" with tag "5000", as in docker).
            return new String[] {DEFAULT_REGISTRY, OFFICIAL_PREFIX + name};
        }
        String first = name.substring(0, slash);
        String rest = name.substring(slash + 1);
        if (first.equals(LOCALHOST)) {
            domain = first;
            remainder = rest;
        } else if (first.equals(LEGACY_DEFAULT_REGISTRY)) {
            domain = DEFAULT_REGISTRY;
            remainder = rest;
        } else if (first.contains(".") || first.contains(":")) {
            domain = first;
            remainder = rest;
        } else if (!first.toLowerCase(Locale.ROOT).equals(first)) {
            // Repository components may not have upper case, so an upper-case first element can only
            // be a host name ("Foo/bar" is repository "bar" on registry "Foo").
            domain = first;
            remainder = rest;
        } else {
            domain = DEFAULT_REGISTRY;
            remainder = name;
        }
        if (domain.equals(DEFAULT_REGISTRY) && remainder.indexOf('/') < 0) {
            remainder = OFFICIAL_PREFIX + remainder;
        }
        return new String[] {domain, remainder};
    }

    /** distribution/reference's Parse over the normalized string, with errors that say why. */
    private static ImageReference parseCanonical(String canonical, String original, String expectedDomain) {
        Matcher m = REFERENCE_RE.matcher(canonical);
        if (!m.matches()) {
            throw invalid(diagnose(original, expectedDomain));
        }
        Matcher name = NAME_RE.matcher(m.group(1));
        if (!name.matches() || !expectedDomain.equals(name.group(1))) {
            // docker would keep e.g. "foo_bar.com/x" as a name with no registry at all (the host
            // fails the domain grammar but the whole passes as a path), which no registry client can
            // use; we refuse it instead.
            throw invalid("\"" + expectedDomain + "\" is not a valid registry host name");
        }
        String path = name.group(2);
        if (path.length() > REPOSITORY_MAX_LENGTH) {
            throw invalid("repository name must not be more than " + REPOSITORY_MAX_LENGTH + " characters");
        }
        Digest digest = m.group(3) == null ? null : parseDigest(m.group(3));
        return new ImageReference(expectedDomain, path, m.group(2), digest);
    }

    /** go-digest's Parse: a registered algorithm, the right length, lower-case hex. */
    private static Digest parseDigest(String text) {
        int colon = text.indexOf(':');
        String algorithm = text.substring(0, colon);
        String encoded = text.substring(colon + 1);
        int want = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw invalid("unsupported digest algorithm \"" + algorithm + "\" (want sha256 or sha512)");
        };
        if (encoded.length() != want) {
            throw invalid("invalid checksum digest length: " + algorithm + " needs " + want
                    + " hex digits, got " + encoded.length());
        }
        if (!encoded.equals(encoded.toLowerCase(Locale.ROOT))) {
            throw invalid("invalid checksum digest format: hex digits must be lower case");
        }
        return new Digest(algorithm, encoded);
    }

    /**
     * The grammar rejected {@code text}; find the first part that breaks it so the message can
     * name it (docker only says "invalid reference format", which leaves the user guessing).
     */
    private static String diagnose(String text, String domain) {
        String nameAndTag = text;
        int at = text.indexOf('@');
        if (at >= 0) {
            String digest = text.substring(at + 1);
            nameAndTag = text.substring(0, at);
            if (!DIGEST_RE.matcher(digest).matches()) {
                return "invalid digest \"" + digest + "\" (want algorithm:hex, e.g. sha256:<64 hex digits>)";
            }
        }
        int lastSlash = nameAndTag.lastIndexOf('/');
        int colon = nameAndTag.indexOf(':', lastSlash + 1);
        String name = nameAndTag;
        if (colon >= 0) {
            String tag = nameAndTag.substring(colon + 1);
            name = nameAndTag.substring(0, colon);
            if (!TAG_RE.matcher(tag).matches()) {
                return tag.isEmpty() ? "empty tag after ':'"
                        : "invalid tag \"" + tag + "\" (up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-')";
            }
        }
        if (name.isEmpty()) {
            return "repository name must have at least one component";
        }
        String path = name;
        if (!domain.equals(DEFAULT_REGISTRY) || name.startsWith(DEFAULT_REGISTRY + "/")
                || name.startsWith(LEGACY_DEFAULT_REGISTRY + "/")) {
            int slash = name.indexOf('/');
            String host = slash < 0 ? name : name.substring(0, slash);
            if (!DOMAIN_RE.matcher(host).matches()) {
                return "invalid registry host \"" + host + "\"";
            }
            path = slash < 0 ? "" : name.substring(slash + 1);
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty()) {
                return "repository name \"" + path + "\" has an empty path component";
            }
            if (!PATH_COMPONENT_RE.matcher(component).matches()) {
                return "invalid repository name component \"" + component + "\" (lower-case letters and digits,"
                        + " separated by '.', '_', '__' or dashes)";
            }
        }
        return "\"" + text + "\" does not match [registry/]repository[:tag][@digest]";
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("invalid reference format: " + why);
    }

    /** The registry host[:port], e.g. "docker.io", "localhost:5000", "[::1]:5000". */
    public String registry() {
        return registry;
    }

    /** The repository path within the registry, e.g. "library/busybox". */
    public String repository() {
        return repository;
    }

    /** registry/repository, e.g. "docker.io/library/busybox". */
    public String name() {
        return registry + "/" + repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digest() {
        return Optional.ofNullable(digest);
    }

    /** True when there is neither tag nor digest (distribution/reference's IsNameOnly). */
    public boolean isNameOnly() {
        return tag == null && digest == null;
    }

    /** The name as docker shows it: without "docker.io/" and, for official images, "library/". */
    public String familiarName() {
        if (!registry.equals(DEFAULT_REGISTRY)) {
            return name();
        }
        if (repository.startsWith(OFFICIAL_PREFIX) && repository.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
            return repository.substring(OFFICIAL_PREFIX.length());
        }
        return repository;
    }

    /** docker's FamiliarString: "busybox:latest", "user/repo@sha256:...", "localhost:5000/a/b:1". */
    public String familiar() {
        return familiarName() + suffix();
    }

    /** This reference with {@code newTag} (a digest, if any, is kept, as in distribution/reference's WithTag). */
    public ImageReference withTag(String newTag) {
        if (!isValidTag(newTag)) {
            throw new IllegalArgumentException("invalid tag format: \"" + newTag + "\"");
        }
        return new ImageReference(registry, repository, newTag, digest);
    }

    /** This reference with {@code newDigest} (a tag, if any, is kept). */
    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, tag, Objects.requireNonNull(newDigest, "digest"));
    }

    /** Just the repository, without tag or digest (TrimNamed). */
    public ImageReference nameOnly() {
        return new ImageReference(registry, repository, null, null);
    }

    /** Tagged "latest" when it has neither tag nor digest (TagNameOnly). */
    public ImageReference withDefaultTag() {
        return isNameOnly() ? new ImageReference(registry, repository, DEFAULT_TAG, null) : this;
    }

    /**
     * The form docker keys its reference store by (ParseDockerRef): a digest wins over a tag, and a
     * bare name gets "latest". "busybox:1@sha256:x" becomes "docker.io/library/busybox@sha256:x".
     */
    public ImageReference dockerRef() {
        if (digest != null) {
            return tag == null ? this : new ImageReference(registry, repository, null, digest);
        }
        return withDefaultTag();
    }

    private String suffix() {
        return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /** The normalized full form, e.g. "docker.io/library/busybox:latest". */
    @JsonValue
    @Override
    public String toString() {
        return name() + suffix();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r && registry.equals(r.registry) && repository.equals(r.repository)
                && Objects.equals(tag, r.tag) && Objects.equals(digest, r.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }
}
