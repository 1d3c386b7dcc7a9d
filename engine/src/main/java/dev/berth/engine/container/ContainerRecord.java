package dev.berth.engine.container;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine keeps about a container (container.json in its directory), written atomically.
 * The live part of its state (running, pid) comes from the runtime; what outlives the process
 * (exit code, times, OOM) is recorded here when it is observed.
 *
 * @param status          docker's State.Status: created, running, paused, restarting, exited
 * @param manuallyStopped stopped or killed through the API: no restart policy brings it back
 *                        (docker's HasBeenManuallyStopped); a start clears it
 * @param pid             the container's init process on the host while it runs, else 0
 * @param health          State.Health when the container has a healthcheck and has run
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String name, String created, String imageId, String imageRef,
                              ContainerConfig config, HostConfig hostConfig, List<String> args,
                              String status, int exitCode, boolean oomKilled, String startedAt, String finishedAt,
                              int restartCount, boolean manuallyStopped, int pid, HealthState health) {

    public ContainerRecord withStatus(String status, int exitCode, boolean oomKilled, String startedAt, String finishedAt) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, status, exitCode,
                oomKilled, startedAt, finishedAt, restartCount, manuallyStopped, pid, health);
    }

    public ContainerRecord withStatus(String status) {
        return withStatus(status, exitCode, oomKilled, startedAt, finishedAt);
    }

    public ContainerRecord started(int pid, String startedAt, HealthState health) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, "running", 0,
                false, startedAt, finishedAt, restartCount, false, pid, health);
    }

    public ContainerRecord withRestartCount(int restartCount) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, status, exitCode,
                oomKilled, startedAt, finishedAt, restartCount, manuallyStopped, pid, health);
    }

    public ContainerRecord withManuallyStopped(boolean manuallyStopped) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, status, exitCode,
                oomKilled, startedAt, finishedAt, restartCount, manuallyStopped, pid, health);
    }

    public ContainerRecord withName(String name) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, status, exitCode,
                oomKilled, startedAt, finishedAt, restartCount, manuallyStopped, pid, health);
    }

    public ContainerRecord withHostConfig(HostConfig hostConfig) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, status, exitCode,
                oomKilled, startedAt, finishedAt, restartCount, manuallyStopped, pid, health);
    }

    public ContainerRecord withHealth(HealthState health) {
        return new ContainerRecord(id, name, created, imageId, imageRef, config, hostConfig, args, status, exitCode,
                oomKilled, startedAt, finishedAt, restartCount, manuallyStopped, pid, health);
    }

    /** The attributes docker puts on a container's events: its labels, name and image, and {@code extra}. */
    public Map<String, String> eventAttributes(Map<String, String> extra) {
        Map<String, String> a = new HashMap<>();
        if (config != null && config.labels() != null) {
            a.putAll(config.labels());
        }
        a.put("name", name);
        a.put("image", imageRef);
        a.putAll(extra);
        return a;
    }

    /** Running or paused: a process exists. */
    public boolean isUp() {
        return status.equals("running") || status.equals("paused");
    }

    /** HostConfig.AutoRemove (docker run --rm): removed once it exits. */
    public boolean autoRemove() {
        return hostConfig != null && Boolean.TRUE.equals(hostConfig.autoRemove());
    }

    /** The hostname its /etc files name: Config.Hostname, else the short id (docker's). */
    public String hostname() {
        return config != null && config.hostname() != null && !config.hostname().isEmpty() ? config.hostname() : id.substring(0, 12);
    }
}
