package dev.berth.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code POST /v2/<name>/blobs/uploads/} (spec.md, "pushing blobs"): opens an upload session; 202 with its Location. */
final class BlobUploadStart implements RegistryEndpoint<URI> {
    private final Repository repo;

    BlobUploadStart(Repository repo) {
        this.repo = repo;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/" + repo.name() + "/blobs/uploads/");
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.push(repo));
    }

    @Override
    public boolean accepts(int status) {
        return status == 202;
    }

    @Override
    public URI handle(HttpResponse<InputStream> response) throws IOException {
        return UploadLocation.from(response, action());
    }

    @Override
    public String action() {
        return "start upload to " + repo.familiarName();
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        return BlobUploadErrors.push(repo, action(), status, errors);
    }
}
