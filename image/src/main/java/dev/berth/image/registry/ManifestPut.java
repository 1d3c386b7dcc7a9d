package dev.berth.image.registry;

import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /v2/<name>/manifests/<reference>} with the manifest's media type as Content-Type
 * (spec.md, "pushing manifests"). Every blob and child manifest it references must already be
 * in the repository. Returns the digest of the bytes sent, checked against Docker-Content-Digest.
 */
final class ManifestPut implements RegistryEndpoint<Digest> {
    private final Repository repo;
    private final String reference;
    private final byte[] bytes;
    private final String mediaType;

    ManifestPut(Repository repo, String reference, byte[] bytes, String mediaType) {
        this.repo = repo;
        this.reference = reference;
        this.bytes = bytes;
        this.mediaType = mediaType;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/" + repo.name() + "/manifests/" + reference);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Type", mediaType);
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        return HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.push(repo));
    }

    @Override
    public boolean accepts(int status) {
        return status == 201 || status == 200 || status == 202;
    }

    @Override
    public Digest handle(HttpResponse<InputStream> response) throws IOException {
        Digest mine = Digest.sha256(bytes);
        var theirs = response.headers().firstValue("Docker-Content-Digest").map(RegistryClient::parseDigestHeader);
        if (theirs.isPresent() && theirs.get().algorithm().equals(mine.algorithm()) && !theirs.get().equals(mine)) {
            throw new InvalidManifestException(action() + ": the registry stored it as " + theirs.get() + ", but its digest is " + mine);
        }
        return mine;
    }

    @Override
    public String action() {
        return "PUT manifest " + repo.familiarName() + (ManifestGet.isDigest(reference) ? "@" : ":") + reference;
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        if (status == 401 || status == 403) {
            return new RegistryAuthException("push access denied for " + repo.familiarName() + ": "
                    + (errors.isEmpty() ? (status == 401 ? "unauthorized: authentication required"
                            : "denied: requested access to the resource is denied") : RegistryErrors.describe(errors)),
                    status, errors);
        }
        return RegistryEndpoint.super.error(status, errors);
    }
}
