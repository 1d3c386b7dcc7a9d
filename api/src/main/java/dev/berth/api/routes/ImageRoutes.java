package dev.berth.api.routes;

import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.engine.image.Images;
import dev.berth.image.Image;
import dev.berth.image.archive.ArchivedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /images: load, list, inspect (more with the images issue). */
public final class ImageRoutes {
    private ImageRoutes() {}

    public static void register(Router router, Images images) {
        router.post("/images/load", (req, res) -> {
            List<ArchivedImage> loaded = images.load(req.body());
            try (ResponseStream out = res.stream(200, "application/json")) {
                for (ArchivedImage a : loaded) {
                    if (a.names().isEmpty()) {
                        out.writeJson(Map.of("stream", "Loaded image ID: " + a.image().id() + "\n"));
                    }
                    for (var name : a.names()) {
                        out.writeJson(Map.of("stream", "Loaded image: " + name.familiar() + "\n"));
                    }
                }
            }
        });
        router.get("/images/json", (req, res) -> res.json(images.store().list().stream().map(ImageRoutes::summary).toList()));
        router.get("/images/{name...}/json", (req, res) -> res.json(inspect(images.resolve(req.pathParam("name")))));
    }

    static Map<String, Object> summary(Image i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", i.id().toString());
        m.put("ParentId", "");
        m.put("RepoTags", i.repoTags().stream().map(Object::toString).map(ImageRoutes::familiar).toList());
        m.put("RepoDigests", i.repoDigests().stream().map(Object::toString).toList());
        m.put("Created", i.created().map(java.time.Instant::getEpochSecond).orElse(0L));
        m.put("Size", i.contentSize());
        m.put("SharedSize", -1);
        m.put("Labels", i.labels());
        m.put("Containers", -1);
        return m;
    }

    static Map<String, Object> inspect(Image i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", i.id().toString());
        m.put("RepoTags", i.repoTags().stream().map(Object::toString).map(ImageRoutes::familiar).toList());
        m.put("RepoDigests", i.repoDigests().stream().map(Object::toString).toList());
        m.put("Created", i.config().created());
        m.put("Architecture", i.config().architecture());
        m.put("Os", i.config().os());
        m.put("Size", i.contentSize());
        m.put("Config", i.config().config());
        m.put("RootFS", Map.of("Type", "layers", "Layers", i.diffIds().stream().map(Object::toString).toList()));
        return m;
    }

    /** docker.io/library/busybox:latest -> busybox:latest, as docker prints names. */
    static String familiar(String name) {
        return name.replaceFirst("^docker\\.io/library/", "").replaceFirst("^docker\\.io/", "");
    }
}
