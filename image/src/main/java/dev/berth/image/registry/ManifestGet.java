package dev.berth.image.registry;

import dev.berth.image.registry.RegistryException.RegistryError;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<name>/manifests/<reference>} (spec.md, "pulling manifests"), negotiating the
 * OCI manifest and index and Docker's schema 2 manifest and list by Accept. When the reference is
 * a digest the bytes must hash to it; when it is a tag and the registry names the digest
 * (Docker-Content-Digest), they must hash to that.
 */
final class ManifestGet implements RegistryEndpoint<RemoteManifest> {
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
    /** containerd's limit: a manifest is metadata, never megabytes. */
    static final int MAX_MANIFEST_BYTES = 4 << 20;

    private final Repository repo;
    private final String reference;

    ManifestGet(Repository repo, String reference) {
        this.repo = repo;
        this.reference = reference;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/" + repo.name() + "/manifests/" + reference);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Accept", ACCEPT);
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.pull(repo));
    }

    @Override
    public boolean accepts(int status) {
        return status == 200;
    }

    @Override
    public RemoteManifest handle(HttpResponse<InputStream> response) throws IOException {
        long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (declared > MAX_MANIFEST_BYTES) {
            throw new InvalidManifestException("manifest for " + display() + " is " + declared + " bytes, over the limit of " + MAX_MANIFEST_BYTES);
        }
        byte[] bytes = response.body().readNBytes(MAX_MANIFEST_BYTES + 1);
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new InvalidManifestException("manifest for " + display() + " is over the limit of " + MAX_MANIFEST_BYTES + " bytes");
        }
        if (declared >= 0 && bytes.length != declared) {
            throw new IOException("manifest for " + display() + " cut short: " + bytes.length + " of " + declared + " bytes");
        }
        Digest expected = isDigest(reference) ? Digest.parse(reference)
                : response.headers().firstValue("Docker-Content-Digest").map(RegistryClient::parseDigestHeader).orElse(null);
        Digest actual = expected == null ? Digest.sha256(bytes) : hash(expected, bytes);
        if (expected != null && !expected.equals(actual)) {
            throw new InvalidManifestException("manifest for " + display() + " does not match its digest: expected "
                    + expected + ", got " + actual);
        }
        String mediaType = RemoteManifest.mediaTypeOf(response.headers().firstValue("Content-Type").orElse(null), bytes);
        return new RemoteManifest(bytes, mediaType, actual);
    }

    @Override
    public String action() {
        return "GET manifest " + display();
    }

    /** docker's wording: "manifest for x:tag not found" and "pull access denied for x, repository does not exist...". */
    @Override
    public RegistryException error(int status, List<RegistryError> errors) {
        String detail = RegistryErrors.describe(errors);
        boolean nameUnknown = errors.stream().anyMatch(e -> "NAME_UNKNOWN".equals(e.code()));
        if (status == 401 || status == 403 || nameUnknown) {
            String msg = "pull access denied for " + repo.familiarName()
                    + ", repository does not exist or may require 'docker login'"
                    + (detail.isEmpty() ? "" : ": " + detail);
            return status == 404 ? new RegistryNotFoundException(msg, status, errors) : new RegistryAuthException(msg, status, errors);
        }
        if (status == 404) {
            return new RegistryNotFoundException("manifest for " + display() + " not found: "
                    + (detail.isEmpty() ? "manifest unknown" : detail), status, errors);
        }
        return RegistryEndpoint.super.error(status, errors);
    }

    private String display() {
        return repo.familiarName() + (isDigest(reference) ? "@" : ":") + reference;
    }

    static boolean isDigest(String reference) {
        return reference.contains(":");
    }

    static Digest hash(Digest like, byte[] bytes) {
        return new Digest(like.algorithm(), HexFormat.of().formatHex(like.newHasher().digest(bytes)));
    }
}
