package dev.berth.api.routes;

import dev.berth.api.http.Router;
import dev.berth.engine.ContainerTools;

/** Registers the routes of {@link ContainerTools}: exec, top, stats, archive. */
public final class ContainerToolRoutes {
    private ContainerToolRoutes() {}

    public static void register(Router router, ContainerTools tools) {
        ExecRoutes.register(router, tools.execs());
        ContainerStatsRoutes.register(router, tools.stats(), tools.top());
        ArchiveRoutes.register(router, tools.archive());
    }
}
