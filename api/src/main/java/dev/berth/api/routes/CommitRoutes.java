package dev.berth.api.routes;

import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.engine.Engine;
import dev.berth.engine.container.ContainerCommit;
import dev.berth.engine.container.ContainerFilesystem;
import dev.berth.engine.model.ContainerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The image side of containers: POST /commit, GET /containers/{id}/changes ({@code docker diff})
 * and GET /containers/{id}/export.
 */
public final class CommitRoutes {
    private CommitRoutes() {}

    public static void register(Router router, Engine engine) {
        ContainerCommit commits = new ContainerCommit(engine.containers(), engine.images());
        ContainerFilesystem files = new ContainerFilesystem(engine.containers(), engine.images());
        router.post("/commit", (req, res) -> {
            var q = req.query();
            ContainerConfig config = req.json(ContainerConfig.class);
            var id = commits.commit(new ContainerCommit.Request(q.get("container"), q.get("repo"), q.get("tag"),
                    q.get("comment"), q.get("author"), q.all("changes"), config, q.bool("pause", true)));
            res.json(201, Map.of("Id", id.toString()));
        });
        router.get("/containers/{id}/changes", (req, res) -> res.json(200, files.changes(req.pathParam("id")).stream()
                .map(CommitRoutes::change).toList()));
        router.get("/containers/{id}/export", (req, res) -> {
            ContainerFilesystem.Export export = files.export(req.pathParam("id"));
            try (ResponseStream out = res.stream(200, "application/x-tar")) {
                export.writeTo(out);
            }
        });
    }

    private static Map<String, Object> change(ContainerFilesystem.FileChange c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Path", c.path());
        m.put("Kind", c.kind());
        return m;
    }
}
