package dev.berth.api.routes;

import dev.berth.api.http.Request;
import dev.berth.api.http.Response;
import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.engine.container.ContainerStats;
import dev.berth.engine.container.ContainerTop;
import java.util.LinkedHashMap;
import java.util.Map;

/** Watching a container: GET /containers/{id}/stats and GET /containers/{id}/top. */
public final class ContainerStatsRoutes {
    private ContainerStatsRoutes() {}

    public static void register(Router router, ContainerStats stats, ContainerTop top) {
        router.get("/containers/{id}/stats", (req, res) -> stats(req, res, stats));
        router.get("/containers/{id}/top", (req, res) -> {
            ContainerTop.Top t = top.top(req.pathParam("id"), req.query().get("ps_args"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Titles", t.titles());
            body.put("Processes", t.processes());
            res.json(body);
        });
    }

    /**
     * stream=true (the default): a sample a second until the container stops or the client goes.
     * stream=false: one sample, taken a second after a first one so that the CPU share can be
     * computed (dockerd waits for its collector the same way), or at once with one-shot=true.
     */
    private static void stats(Request req, Response res, ContainerStats stats) throws Exception {
        ContainerStats.Target target = stats.target(req.pathParam("id"));
        boolean stream = req.query().bool("stream", true);
        boolean oneShot = !stream && req.query().bool("one-shot", false);
        try (ResponseStream out = res.stream(200, "application/json")) {
            ContainerStats.Sample before = null;
            ContainerStats.Sample now = stats.sample(target.id());
            if (!stream && !oneShot && now != null) {
                Thread.sleep(1000);
                before = now;
                now = stats.sample(target.id());
            }
            out.writeJson(stats.json(target, now, before));
            while (stream && now != null && !out.clientGone()) {
                Thread.sleep(1000);
                before = now;
                now = stats.sample(target.id());
                if (now == null) {
                    break;
                }
                out.writeJson(stats.json(target, now, before));
            }
        }
    }
}
