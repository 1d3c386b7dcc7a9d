package dev.berth.image.registry;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>} (spec.md, "checking if content exists"): the
 * descriptor (media type, digest, size) if the manifest is there, empty if 404.
 */
final class ManifestHead implements RegistryEndpoint<Optional<Descriptor>> {
    private final Repository repo;
    private final String reference;

    ManifestHead(Repository repo, String reference) {
        this.repo = repo;
        this.reference = reference;
    }

    @Override
    public String method() {
        return "HEAD";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/" + repo.name() + "/manifests/" + reference);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Accept", ManifestGet.ACCEPT);
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.pull(repo));
    }

    @Override
    public boolean accepts(int status) {
        return status == 200 || status == 404;
    }

    @Override
    public Optional<Descriptor> handle(HttpResponse<InputStream> response) throws InvalidManifestException {
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        Digest digest = response.headers().firstValue("Docker-Content-Digest").map(RegistryClient::parseDigestHeader)
                .orElseGet(() -> ManifestGet.isDigest(reference) ? Digest.parse(reference) : null);
        if (digest == null) {
            throw new InvalidManifestException(action() + ": the registry did not send Docker-Content-Digest");
        }
        String type = response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse(null);
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(Descriptor.of(type, digest, size));
    }

    @Override
    public String action() {
        return "HEAD manifest " + repo.familiarName() + (ManifestGet.isDigest(reference) ? "@" : ":") + reference;
    }
}
