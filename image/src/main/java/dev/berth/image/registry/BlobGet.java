package dev.berth.image.registry;

import dev.berth.image.ContentStore;
import dev.berth.image.DigestMismatchException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@code GET /v2/<name>/blobs/<digest>} (spec.md, "pulling blobs"), streamed into the content
 * store. The registry may redirect to storage elsewhere (the caller follows, without our
 * Authorization). Each attempt writes a fresh {@link ContentStore.BlobWriter}: a body cut short
 * abandons it (nothing partial stays), and the caller's retry starts over; commit checks the
 * digest and size before the blob becomes visible.
 */
final class BlobGet implements RegistryEndpoint<Digest> {
    private static final int BUFFER = RegistryClient.HTTP_BUFSIZE;

    private final Repository repo;
    private final Descriptor blob;
    private final ContentStore store;
    private final LayerReporter progress;

    BlobGet(Repository repo, Descriptor blob, ContentStore store, LayerReporter progress) {
        this.repo = repo;
        this.blob = blob;
        this.store = store;
        this.progress = progress;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/" + repo.name() + "/blobs/" + blob.digest());
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
    public Digest handle(HttpResponse<InputStream> response) throws IOException {
        Digest digest = blob.parsedDigest();
        long size = blob.size();
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced >= 0 && size >= 0 && announced != size) {
            throw new DigestMismatchException(digest, digest, size, announced);
        }
        InputStream in = response.body();
        try (ContentStore.BlobWriter out = store.begin(digest, size)) {
            byte[] buf = new byte[BUFFER];
            long done = 0;
            progress.report(LayerProgress.Phase.DOWNLOADING, 0);
            for (int n; (n = in.read(buf)) > 0; ) {
                done += n;
                if (size >= 0 && done > size) {
                    // Never store more than the descriptor promised: a registry must not fill our disk.
                    throw new DigestMismatchException(digest, digest, size, done);
                }
                out.write(buf, 0, n);
                progress.report(LayerProgress.Phase.DOWNLOADING, done);
            }
            progress.report(LayerProgress.Phase.VERIFYING, done);
            out.commit();
        }
        return digest;
    }

    @Override
    public void retrying(int attempt, int maxAttempts, String reason) {
        progress.report(LayerProgress.Phase.RETRYING, 0, "attempt " + attempt + " of " + maxAttempts + ": " + reason);
    }

    @Override
    public String action() {
        return "GET blob " + blob.digest() + " from " + repo.familiarName();
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        if (status == 404) {
            return new RegistryNotFoundException(action() + ": blob unknown to registry"
                    + (errors.isEmpty() ? "" : " (" + RegistryErrors.describe(errors) + ")"), status, errors);
        }
        return RegistryEndpoint.super.error(status, errors);
    }
}
