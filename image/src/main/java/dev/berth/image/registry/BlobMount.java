package dev.berth.image.registry;

import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>} (spec.md, "mounting a blob
 * from another repository"): the registry links a blob it already holds for {@code from} into
 * this repository without any bytes moving. Needs push on the target and pull on the source.
 */
final class BlobMount implements RegistryEndpoint<MountResult> {
    private final Repository repo;
    private final Digest digest;
    private final String from;

    BlobMount(Repository repo, Digest digest, String from) {
        this.repo = repo;
        this.digest = digest;
        this.from = from;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public URI uri(URI base) {
        return base.resolve("/v2/" + repo.name() + "/blobs/uploads/?mount="
                + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8)
                + "&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8));
    }

    @Override
    public List<Scope> scopes() {
        return List.of(Scope.push(repo), new Scope("repository", from, List.of("pull")));
    }

    @Override
    public boolean accepts(int status) {
        return status == 201 || status == 202;
    }

    @Override
    public MountResult handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 201) {
            return new MountResult(true, null);
        }
        return new MountResult(false, UploadLocation.from(response, action()));
    }

    @Override
    public String action() {
        return "mount blob " + digest + " from " + from + " into " + repo.familiarName();
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        return BlobUploadErrors.push(repo, action(), status, errors);
    }
}
