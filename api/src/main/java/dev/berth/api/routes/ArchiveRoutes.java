package dev.berth.api.routes;

import dev.berth.api.http.Request;
import dev.berth.api.http.Response;
import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.container.ContainerArchive;
import dev.berth.oci.runtime.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** docker cp: HEAD, GET and PUT /containers/{id}/archive?path=... */
public final class ArchiveRoutes {
    /** The header that carries a path's stat as base64 JSON (the API's "X-Docker-Container-Path-Stat"). */
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private ArchiveRoutes() {}

    public static void register(Router router, ContainerArchive archive) {
        router.head("/containers/{id}/archive", (req, res) -> {
            statHeader(res, archive.stat(req.pathParam("id"), path(req)));
            res.status(200);
        });
        router.get("/containers/{id}/archive", (req, res) -> {
            String id = req.pathParam("id"), path = path(req);
            statHeader(res, archive.stat(id, path));
            try (ResponseStream out = res.stream(200, "application/x-tar")) {
                archive.archive(id, path, out);
            }
        });
        router.put("/containers/{id}/archive", (req, res) -> {
            // copyUIDGID is not needed: ownership always comes from the archive (docker's default).
            archive.extract(req.pathParam("id"), path(req), req.body(), req.query().bool("noOverwriteDirNonDir", false));
            res.status(200);
        });
    }

    private static String path(Request req) {
        String path = req.query().get("path");
        if (path == null || path.isEmpty()) {
            throw new EngineException(400, "path cannot be empty");
        }
        return path;
    }

    private static void statHeader(Response res, ContainerArchive.PathStat st) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", st.name());
        m.put("size", st.size());
        m.put("mode", st.mode());
        m.put("mtime", st.mtime());
        m.put("linkTarget", st.linkTarget());
        byte[] json = Json.mapper().writeValueAsString(m).getBytes(StandardCharsets.UTF_8);
        res.header(STAT_HEADER, Base64.getEncoder().encodeToString(json));
    }
}
