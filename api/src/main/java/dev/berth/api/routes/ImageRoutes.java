package dev.berth.api.routes;

import dev.berth.api.http.Request;
import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerImageUsers;
import dev.berth.engine.image.ImageFilters;
import dev.berth.engine.image.ImageHistory;
import dev.berth.engine.image.ImageRemoval;
import dev.berth.engine.image.ImageView;
import dev.berth.engine.image.Images;
import dev.berth.engine.image.RegistryAuth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /images and /auth: pull, push, load, save, list, inspect, history, tag, remove, prune; search
 * answers that it is not supported. Streams (pull, push) are docker's JSON lines; an error once
 * the stream has begun is a JSON "error" line, as dockerd sends it.
 */
public final class ImageRoutes {
    private ImageRoutes() {}

    public static void register(Router router, Engine engine) {
        Images images = engine.images();
        ImageRemoval removal = new ImageRemoval(images, ContainerImageUsers.of(engine.containers()));
        router.post("/auth", (req, res) -> {
            var body = req.jsonTree();
            images.login(RegistryAuth.fromJson(body == null ? null : body.toString()));
            res.json(200, Map.of("Status", "Login Succeeded", "IdentityToken", ""));
        });
        router.post("/images/load", (req, res) -> {
            var messages = images.load(req.body());
            try (ResponseStream out = res.stream(200, "application/json")) {
                for (String m : messages) {
                    out.writeJson(Map.of("stream", m + "\n"));
                }
            }
        });
        router.post("/images/create", (req, res) -> {
            String from = req.query().get("fromImage");
            String src = req.query().get("fromSrc");
            if ((from == null || from.isEmpty()) && src != null && !src.isEmpty()) {
                importTarball(req, res, images, src);
                return;
            }
            if (from == null || from.isEmpty()) {
                throw new EngineException(400, "fromImage or fromSrc is required");
            }
            String tag = req.query().getOr("tag", "");
            String name = tag.isEmpty() ? from : from + (tag.startsWith("sha256:") ? "@" : ":") + tag;
            RegistryAuth auth = auth(req);
            try (ResponseStream out = res.stream(200, "application/json")) {
                streamed(out, () -> images.pull(name, auth, p -> write(out, line(p.status(), p.id(), p.current(), p.total()))));
            }
        });
        router.get("/images/search", (req, res) -> {
            throw new EngineException(501, "image search is not supported by this daemon");
        });
        router.post("/images/prune", (req, res) -> {
            ImageRemoval.Pruned pruned = removal.prune(ImageFilters.forPrune(FilterArgs.of(req.query())));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ImagesDeleted", pruned.deleted().isEmpty() ? null : pruned.deleted());
            body.put("SpaceReclaimed", pruned.spaceReclaimed());
            res.json(200, body);
        });
        router.get("/images/get", (req, res) -> save(res, images.save(req.query().all("names"))));
        router.get("/images/json", (req, res) -> res.json(images.list(ImageFilters.forList(FilterArgs.of(req.query())))
                .stream().map(ImageRoutes::summary).toList()));
        router.get("/images/{name...}/json", (req, res) -> res.json(inspect(images.inspect(req.pathParam("name")))));
        router.get("/images/{name...}/history", (req, res) -> res.json(images.history(req.pathParam("name")).stream()
                .map(ImageRoutes::history).toList()));
        router.get("/images/{name...}/get", (req, res) -> save(res, images.save(List.of(req.pathParam("name")))));
        router.post("/images/{name...}/tag", (req, res) -> {
            images.tag(req.pathParam("name"), req.query().get("repo"), req.query().get("tag"));
            res.status(201);
        });
        router.post("/images/{name...}/push", (req, res) -> {
            String name = req.pathParam("name");
            String tag = req.query().getOr("tag", "");
            RegistryAuth auth = auth(req);
            try (ResponseStream out = res.stream(200, "application/json")) {
                streamed(out, () -> images.push(name, tag, auth, p -> {
                    Map<String, Object> line = line(p.status(), p.id(), p.current(), p.total());
                    if (p.aux() != null) {
                        line.put("aux", p.aux());
                    }
                    write(out, line);
                }));
            }
        });
        router.delete("/images/{name...}", (req, res) -> res.json(200,
                removal.remove(req.pathParam("name"), req.query().bool("force", false))));
    }

    /** docker import: the body is the tarball ("-"); fetching a URL is not supported. */
    private static void importTarball(Request req, dev.berth.api.http.Response res, Images images, String src) throws IOException {
        if (!src.equals("-")) {
            throw new EngineException(501, "importing from a URL is not supported by this daemon; "
                    + "download the tarball and import it from a file or standard input");
        }
        var q = req.query();
        ImageView image = images.importTarball(req.body(), q.get("repo"), q.get("tag"), q.get("message"), q.all("changes"));
        try (ResponseStream out = res.stream(200, "application/json")) {
            out.writeJson(Map.of("status", image.id()));
        }
    }

    private static RegistryAuth auth(Request req) {
        return RegistryAuth.fromHeader(req.header("X-Registry-Auth"));
    }

    /** One progress line: status, id, progressDetail ({} when there are no bytes to show, as dockerd). */
    private static Map<String, Object> line(String status, String id, long current, long total) {
        Map<String, Object> line = new LinkedHashMap<>();
        if (status != null) {
            line.put("status", status);
        }
        line.put("progressDetail", total > 0 ? Map.of("current", current, "total", total) : Map.of());
        if (id != null) {
            line.put("id", id);
        }
        return line;
    }

    private interface Job {
        void run() throws IOException;
    }

    /** Runs a streamed job; its failure becomes docker's in-stream error line. */
    private static void streamed(ResponseStream out, Job job) throws IOException {
        try {
            job.run();
        } catch (IOException | RuntimeException e) {
            String message = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            out.writeJson(Map.of("errorDetail", Map.of("message", String.valueOf(message)), "error", String.valueOf(message)));
        }
    }

    private static void write(ResponseStream out, Object line) {
        try {
            out.writeJson(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The images were chosen (404/400 already answered); the archive streams as it is written. */
    private static void save(dev.berth.api.http.Response res, Images.Save save) throws IOException {
        try (ResponseStream out = res.stream(200, "application/x-tar")) {
            save.writeTo(out);
        }
    }

    static Map<String, Object> history(ImageHistory.Entry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", e.id());
        m.put("Created", e.created());
        m.put("CreatedBy", e.createdBy());
        m.put("Tags", e.tags());
        m.put("Size", e.size());
        m.put("Comment", e.comment());
        return m;
    }

    static Map<String, Object> summary(ImageView i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", i.id());
        m.put("ParentId", "");
        m.put("RepoTags", i.repoTags());
        m.put("RepoDigests", i.repoDigests());
        m.put("Created", i.created() == null ? 0L : i.created().getEpochSecond());
        m.put("Size", i.size());
        m.put("SharedSize", -1);
        m.put("Labels", i.labels());
        m.put("Containers", -1);
        return m;
    }

    static Map<String, Object> inspect(ImageView i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", i.id());
        m.put("RepoTags", i.repoTags());
        m.put("RepoDigests", i.repoDigests());
        m.put("Created", i.config().created());
        m.put("Author", i.config().author() == null ? "" : i.config().author());
        m.put("Architecture", i.config().architecture());
        m.put("Os", i.config().os());
        m.put("Size", i.size());
        m.put("Config", i.config().config());
        m.put("RootFS", Map.of("Type", "layers", "Layers", i.diffIds()));
        return m;
    }
}
