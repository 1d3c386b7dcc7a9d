package dev.berth.engine;

import dev.berth.engine.container.ContainerArchive;
import dev.berth.engine.container.ContainerStats;
import dev.berth.engine.container.ContainerTop;
import dev.berth.engine.container.Containers;
import dev.berth.engine.container.Execs;
import dev.berth.runtime.BerthRuntime;
import java.nio.file.Path;

/**
 * What the API offers on a container besides its lifecycle: exec, top, stats, archive (docker
 * cp). One record so that the composition root and the daemon's wiring grow by one line each.
 */
public record ContainerTools(Execs execs, ContainerTop top, ContainerStats stats, ContainerArchive archive) {
    static ContainerTools of(Containers containers, BerthRuntime runtime, Path execRoot) {
        return new ContainerTools(new Execs(containers, runtime, execRoot), new ContainerTop(containers, runtime),
                new ContainerStats(containers, runtime, HostFacts.memTotal()), new ContainerArchive(containers, runtime));
    }
}
