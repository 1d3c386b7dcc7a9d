package dev.berth.image.registry;

import dev.berth.oci.image.Digest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT <location>?digest=<digest>} (spec.md, "pushing blobs"): closes the upload, either
 * with the whole blob as its body (the monolithic POST-then-PUT) or empty after the chunks. The
 * registry checks the digest and answers 201.
 */
final class BlobUploadFinish implements RegistryEndpoint<Digest> {
    private final Repository repo;
    private final URI location;
    private final Digest digest;
    private final BlobSlice body;

    /** {@code body} null: the bytes went in chunks already. */
    BlobUploadFinish(Repository repo, URI location, Digest digest, BlobSlice body) {
        this.repo = repo;
        this.location = location;
        this.digest = digest;
        this.body = body;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public URI uri(URI base) {
        return UploadLocation.withParam(location, "digest", digest.toString());
    }

    @Override
    public Map<String, String> headers() {
        return body == null ? Map.of() : Map.of("Content-Type", "application/octet-stream");
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        return body == null ? HttpRequest.BodyPublishers.noBody() : body.publisher();
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.push(repo));
    }

    @Override
    public boolean retriable() {
        return false;
    }

    @Override
    public boolean accepts(int status) {
        return status == 201 || status == 204;
    }

    @Override
    public Digest handle(HttpResponse<InputStream> response) {
        return digest;
    }

    @Override
    public String action() {
        return "finish upload of " + digest + " to " + repo.familiarName();
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        return BlobUploadErrors.push(repo, action(), status, errors);
    }
}
