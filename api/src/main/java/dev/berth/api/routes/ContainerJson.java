package dev.berth.api.routes;

import dev.berth.engine.container.ContainerRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Containers in the API's JSON shapes: the list summary and inspect. */
final class ContainerJson {
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private ContainerJson() {}

    static Map<String, Object> summary(ContainerRecord r, List<Map<String, Object>> mounts, List<Map<String, Object>> ports,
                                       Map<String, Object> networkSettings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Names", List.of("/" + r.name()));
        m.put("Image", r.imageRef());
        m.put("ImageID", r.imageId());
        m.put("Command", String.join(" ", r.args()));
        m.put("Created", Instant.parse(r.created()).getEpochSecond());
        m.put("Ports", ports);
        m.put("Labels", r.config().labels() == null ? Map.of() : r.config().labels());
        m.put("State", r.status());
        m.put("Status", statusText(r));
        String mode = r.hostConfig() == null || r.hostConfig().networkMode() == null || r.hostConfig().networkMode().isEmpty()
                ? "default" : r.hostConfig().networkMode();
        m.put("HostConfig", Map.of("NetworkMode", mode));
        m.put("NetworkSettings", Map.of("Networks", networkSettings.get("Networks")));
        m.put("Mounts", mounts);
        return m;
    }

    /** docker ps's STATUS column: "Up 3 seconds", "Exited (0) 2 minutes ago", "Created". */
    static String statusText(ContainerRecord r) {
        return switch (r.status()) {
            case "running" -> "Up " + ago(r.startedAt()).replace(" ago", "") + health(r);
            case "paused" -> "Up " + ago(r.startedAt()).replace(" ago", "") + " (Paused)";
            case "exited" -> "Exited (" + r.exitCode() + ") " + ago(r.finishedAt());
            case "restarting" -> "Restarting (" + r.exitCode() + ") " + ago(r.finishedAt());
            default -> "Created";
        };
    }

    /** docker ps appends the health status: "Up 5 seconds (healthy)", "(health: starting)". */
    private static String health(ContainerRecord r) {
        if (r.health() == null) {
            return "";
        }
        return r.health().status().equals("starting") ? " (health: starting)" : " (" + r.health().status() + ")";
    }

    private static String ago(String time) {
        if (time == null) {
            return "";
        }
        long s = Math.max(0, Instant.now().getEpochSecond() - Instant.parse(time).getEpochSecond());
        if (s < 1) {
            return "Less than a second ago";
        }
        if (s < 60) {
            return s + " second" + (s == 1 ? "" : "s") + " ago";
        }
        if (s < 3600) {
            return s / 60 + " minute" + (s / 60 == 1 ? "" : "s") + " ago";
        }
        return s / 3600 + " hour" + (s / 3600 == 1 ? "" : "s") + " ago";
    }

    static Map<String, Object> inspect(ContainerRecord r, String logPath, List<Map<String, Object>> mounts,
                                       Map<String, Object> networkSettings, List<String> execIds) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", r.status());
        state.put("Running", r.isUp());
        state.put("Paused", r.status().equals("paused"));
        state.put("Restarting", r.status().equals("restarting"));
        state.put("OOMKilled", r.oomKilled());
        state.put("Dead", false);
        state.put("Pid", r.isUp() ? r.pid() : 0);
        state.put("ExitCode", r.exitCode());
        state.put("Error", "");
        state.put("StartedAt", r.startedAt() == null ? ZERO_TIME : r.startedAt());
        state.put("FinishedAt", r.finishedAt() == null ? ZERO_TIME : r.finishedAt());
        if (r.health() != null) {
            state.put("Health", r.health());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", r.created());
        m.put("Path", r.args().getFirst());
        m.put("Args", r.args().subList(1, r.args().size()));
        m.put("State", state);
        m.put("Image", r.imageId());
        m.put("LogPath", logPath);
        m.put("Name", "/" + r.name());
        m.put("RestartCount", r.restartCount());
        m.put("Driver", "overlay2");
        m.put("Platform", "linux");
        m.put("ExecIDs", execIds); // null when none, as dockerd
        m.put("Config", InspectDefaults.config(r));
        m.put("HostConfig", InspectDefaults.hostConfig(r));
        m.put("Mounts", mounts);
        m.put("NetworkSettings", networkSettings);
        return m;
    }
}
