package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Formatter;
import dev.berth.oci.image.ImageReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** {@code berth images}: list images (GET /images/json), one row per tag as docker does. */
public final class ImagesCommand implements Command {
    static final Map<String, String> HEADERS = new LinkedHashMap<>();

    static {
        HEADERS.put("Repository", "REPOSITORY");
        HEADERS.put("Tag", "TAG");
        HEADERS.put("Digest", "DIGEST");
        HEADERS.put("ID", "IMAGE ID");
        HEADERS.put("CreatedSince", "CREATED");
        HEADERS.put("CreatedAt", "CREATED AT");
        HEADERS.put("Size", "SIZE");
        HEADERS.put("Containers", "CONTAINERS");
        HEADERS.put("SharedSize", "SHARED SIZE");
        HEADERS.put("UniqueSize", "UNIQUE SIZE");
        HEADERS.put("VirtualSize", "VIRTUAL SIZE");
    }

    @Override
    public Spec spec() {
        return Spec.of("images", "images [OPTIONS] [REPOSITORY[:TAG]]", "List images", 0, 1,
                Flag.bool("all", 'a', "Show all images (default hides intermediate images)"),
                Flag.bool("digests", "Show digests"),
                Flag.list("filter", 'f', "filter", "Filter output based on conditions provided"),
                Flag.value("format", "string", "Format output using a custom template"),
                Flag.bool("no-trunc", "Don't truncate output"),
                Flag.bool("quiet", 'q', "Only show image IDs"));
    }

    @Override
    public int run(Cli cli, ParsedArgs a) throws Exception {
        Api.Query q = Api.query().put("all", a.bool("all") ? Boolean.TRUE : null).put("filters", Filters.encode(a.list("filter")));
        Object images = cli.api().getJson("/images/json", q);
        boolean trunc = !a.bool("no-trunc");
        String wanted = a.args().isEmpty() ? null : a.arg(0);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object i : Api.asList(images)) {
            List<Object> tags = Api.list(i, "RepoTags");
            List<Object> digests = Api.list(i, "RepoDigests");
            if (tags.isEmpty()) {
                String repo = "<none>";
                String digest = "<none>";
                if (!digests.isEmpty()) {
                    String d = String.valueOf(digests.getFirst());
                    repo = d.substring(0, d.indexOf('@'));
                    digest = d.substring(d.indexOf('@') + 1);
                }
                if (matches(wanted, repo, "<none>")) {
                    rows.add(row(i, repo, "<none>", digest, trunc));
                }
            }
            for (Object t : tags) {
                String tag = String.valueOf(t);
                int colon = tag.lastIndexOf(':');
                String repo = colon > tag.lastIndexOf('/') ? tag.substring(0, colon) : tag;
                String tagName = colon > tag.lastIndexOf('/') ? tag.substring(colon + 1) : "<none>";
                String digest = "<none>";
                for (Object d : digests) {
                    if (String.valueOf(d).startsWith(repo + "@")) {
                        digest = String.valueOf(d).substring(repo.length() + 1);
                    }
                }
                if (matches(wanted, repo, tagName)) {
                    rows.add(row(i, repo, tagName, digest, trunc));
                }
            }
        }
        String format = a.string("format");
        if (a.bool("quiet") && format == null) {
            Set<Object> ids = new LinkedHashSet<>();
            for (Map<String, Object> r : rows) {
                ids.add(r.get("ID"));
            }
            for (Object id : ids) {
                cli.out().println(id);
            }
            return 0;
        }
        String table = a.bool("digests") ? "{{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}"
                : "{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
        cli.out().print(Formatter.render(format, table, HEADERS, rows));
        return 0;
    }

    /** `images busybox` and `images busybox:1.36`, compared in docker's familiar form. */
    private static boolean matches(String wanted, String repo, String tag) {
        if (wanted == null) {
            return true;
        }
        try {
            ImageReference w = ImageReference.parseNormalizedNamed(wanted);
            ImageReference r = ImageReference.parseNormalizedNamed(repo);
            return w.name().equals(r.name()) && (w.tag().isEmpty() || w.tag().get().equals(tag));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Map<String, Object> row(Object i, String repo, String tag, String digest, boolean trunc) {
        Map<String, Object> r = new TreeMap<>();
        String id = Api.string(i, "Id");
        r.put("ID", trunc ? ContainerRows.shortId(id) : id);
        r.put("Repository", repo);
        r.put("Tag", tag);
        r.put("Digest", digest);
        long created = Api.number(i, "Created");
        r.put("CreatedSince", created <= 0 ? "N/A" : Units.humanDuration(Instant.now().getEpochSecond() - created) + " ago");
        r.put("CreatedAt", (dev.berth.cli.format.Template.Lazy) () -> ContainerRows.createdAt(created));
        r.put("Size", Units.humanSize(Api.number(i, "Size")));
        long containers = Api.number(i, "Containers");
        r.put("Containers", containers < 0 ? "N/A" : String.valueOf(containers));
        long shared = Api.number(i, "SharedSize");
        r.put("SharedSize", shared < 0 ? "N/A" : Units.humanSize(shared, 4));
        r.put("UniqueSize", shared < 0 ? "N/A" : Units.humanSize(Api.number(i, "Size") - shared, 4));
        r.put("VirtualSize", Units.humanSize(Api.number(i, "Size"), 4));
        return r;
    }
}
