package dev.berth.image.registry;

import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code HEAD /v2/<name>/blobs/<digest>} (spec.md, "checking if content exists"): the blob's
 * size if the repository has it. A push asks with its push scope so that one token serves the
 * whole push.
 */
final class BlobHead implements RegistryEndpoint<OptionalLong> {
    private final Repository repo;
    private final Digest digest;
    private final Scope scope;

    BlobHead(Repository repo, Digest digest, Scope scope) {
        this.repo = repo;
        this.digest = digest;
        this.scope = scope;
    }

    @Override
    public String method() {
        return "HEAD";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/" + repo.name() + "/blobs/" + digest);
    }

    @Override
    public List<Scope> scopes() {
        return List.of(scope);
    }

    @Override
    public boolean accepts(int status) {
        return status == 200 || status == 404;
    }

    @Override
    public OptionalLong handle(HttpResponse<InputStream> response) {
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(response.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        if (scope.actions().contains("push")) {
            return BlobUploadErrors.push(repo, action(), status, errors);
        }
        return RegistryEndpoint.super.error(status, errors);
    }

    @Override
    public String action() {
        return "HEAD blob " + digest + " in " + repo.familiarName();
    }
}
