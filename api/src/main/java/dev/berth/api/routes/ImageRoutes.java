package dev.berth.api.routes;

import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.engine.image.ImageView;
import dev.berth.engine.image.Images;
import java.util.LinkedHashMap;
import java.util.Map;

/** /images: load, list, inspect (more with the images issue). */
public final class ImageRoutes {
    private ImageRoutes() {}

    public static void register(Router router, Images images) {
        router.post("/images/load", (req, res) -> {
            var messages = images.load(req.body());
            try (ResponseStream out = res.stream(200, "application/json")) {
                for (String m : messages) {
                    out.writeJson(Map.of("stream", m + "\n"));
                }
            }
        });
        router.get("/images/json", (req, res) -> res.json(images.list().stream().map(ImageRoutes::summary).toList()));
        router.get("/images/{name...}/json", (req, res) -> res.json(inspect(images.inspect(req.pathParam("name")))));
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
        m.put("Architecture", i.config().architecture());
        m.put("Os", i.config().os());
        m.put("Size", i.size());
        m.put("Config", i.config().config());
        m.put("RootFS", Map.of("Type", "layers", "Layers", i.diffIds()));
        return m;
    }
}
