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
        router.post("/images/create", (req, res) -> {
            String from = req.query().get("fromImage");
            if (from == null || from.isEmpty()) {
                throw new dev.berth.engine.EngineException(400, "image import (fromSrc) is not supported yet; use fromImage to pull");
            }
            String tag = req.query().getOr("tag", "");
            String name = tag.isEmpty() ? from : from + (tag.startsWith("sha256:") ? "@" : ":") + tag;
            // Progress streams as docker's JSON lines; an error after the first line is a JSON
            // "error" message, as dockerd sends it once the response has begun.
            try (ResponseStream out = res.stream(200, "application/json")) {
                try {
                    images.pull(name, p -> {
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("status", p.status());
                        if (p.id() != null) {
                            line.put("id", p.id());
                        }
                        if (p.total() > 0) {
                            line.put("progressDetail", Map.of("current", p.current(), "total", p.total()));
                        }
                        try {
                            out.writeJson(line);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                } catch (java.io.IOException | RuntimeException e) {
                    String message = e instanceof java.io.UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
                    out.writeJson(Map.of("errorDetail", Map.of("message", message), "error", message));
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
