package dev.berth.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v2/<name>/tags/list} (spec.md, "listing tags"): one page of tags, and the next
 * page's URI from the {@code Link: <...>; rel="next"} header (RFC 8288) when there is one.
 */
final class TagsList implements RegistryEndpoint<TagsList.Page> {
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    record Page(List<String> tags, URI next) {}

    private final Repository repo;
    private final URI page;

    /** {@code page} null: the first page. */
    TagsList(Repository repo, URI page) {
        this.repo = repo;
        this.page = page;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri(URI base) {
        return page != null ? base.resolve(page) : base.resolve("/v2/" + repo.name() + "/tags/list");
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
    public Page handle(HttpResponse<InputStream> response) throws IOException {
        JsonNode doc;
        try {
            doc = RegistryJson.mapper().readTree(response.body().readNBytes(16 << 20));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RegistryException(action() + ": the answer is not JSON");
        }
        List<String> tags = new ArrayList<>();
        JsonNode arr = doc == null ? null : doc.get("tags");
        if (arr != null && arr.isArray()) {
            arr.forEach(t -> tags.add(t.asText()));
        }
        URI next = null;
        for (String link : response.headers().allValues("Link")) {
            Matcher m = NEXT.matcher(link);
            if (m.find()) {
                next = response.uri().resolve(m.group(1));
            }
        }
        return new Page(tags, next);
    }

    @Override
    public String action() {
        return "list tags of " + repo.familiarName();
    }

    @Override
    public RegistryException error(int status, List<RegistryException.RegistryError> errors) {
        if (status == 404 || status == 401 || status == 403) {
            String detail = RegistryErrors.describe(errors);
            String msg = "repository " + repo.familiarName() + " not found or access denied" + (detail.isEmpty() ? "" : ": " + detail);
            return status == 404 ? new RegistryNotFoundException(msg, status, errors) : new RegistryAuthException(msg, status, errors);
        }
        return RegistryEndpoint.super.error(status, errors);
    }
}
