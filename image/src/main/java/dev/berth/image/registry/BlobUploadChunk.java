package dev.berth.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code PATCH <location>} with {@code Content-Range: <start>-<end>} (inclusive) and the chunk
 * (spec.md, "pushing a blob in chunks"). Chunks go in order; the answer's Location is where the
 * next one goes and its Range says how much the registry holds, which we check. Not retried on
 * its own: after a failure the offset is unknown, so the push restarts the upload.
 */
final class BlobUploadChunk implements RegistryEndpoint<URI> {
    private final Repository repo;
    private final URI location;
    private final BlobSlice chunk;

    BlobUploadChunk(Repository repo, URI location, BlobSlice chunk) {
        this.repo = repo;
        this.location = location;
        this.chunk = chunk;
    }

    @Override
    public String method() {
        return "PATCH";
    }

    @Override
    public URI uri(URI base) {
        return location;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Type", "application/octet-stream",
                "Content-Range", chunk.offset() + "-" + (chunk.offset() + chunk.length() - 1));
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        return chunk.publisher();
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
        return status == 202 || status == 204;
    }

    @Override
    public URI handle(HttpResponse<InputStream> response) throws IOException {
        long end = chunk.offset() + chunk.length() - 1;
        String range = response.headers().firstValue("Range").orElse(null);
        if (range != null && !range.equals("0-" + end) && !range.equals("bytes=0-" + end)) {
            throw new RegistryException(action() + ": the registry holds " + range + ", expected 0-" + end);
        }
        return response.headers().firstValue("Location").isPresent() ? UploadLocation.from(response, action()) : location;
    }

    @Override
    public String action() {
        return "upload chunk " + chunk.offset() + "+" + chunk.length() + " to " + repo.familiarName();
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        return BlobUploadErrors.push(repo, action(), status, errors);
    }
}
