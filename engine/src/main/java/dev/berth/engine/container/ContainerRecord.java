package dev.berth.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import java.util.List;

/**
 * What the engine keeps about a container (container.json in its directory), written atomically.
 * The live part of its state (running, pid) comes from the runtime; what outlives the process
 * (exit code, times, OOM) is recorded here when it is observed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String name, String created, String imageId, String imageRef,
                              ContainerConfig config, HostConfig hostConfig, List<String> args,
                              String status, int exitCode, boolean oomKilled, String startedAt, String finishedAt,
                              int restartCount) {

    public ContainerRecord withStatus(String status, int exitCode, boolean oomKilled, String startedAt, String finishedAt) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, status, exitCode,
                oomKilled, startedAt, finishedAt, restartCount);
    }
}
