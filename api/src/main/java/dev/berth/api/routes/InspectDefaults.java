package dev.berth.api.routes;

import dev.berth.engine.container.ContainerRecord;
import dev.berth.oci.runtime.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inspect's Config and HostConfig with every field docker always shows, set to docker's value
 * when the container did not give one: clients index into them without checking (docker-py
 * reads HostConfig.LogConfig.Type after every run, Testcontainers NetworkSettings.Ports).
 */
final class InspectDefaults {
    private InspectDefaults() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> hostConfig(ContainerRecord r) {
        Map<String, Object> given = r.hostConfig() == null ? Map.of() : Json.mapper().convertValue(r.hostConfig(), Map.class);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("Binds", null);
        h.put("ContainerIDFile", "");
        h.put("LogConfig", Map.of("Type", "json-file", "Config", Map.of()));
        h.put("NetworkMode", "default");
        h.put("PortBindings", Map.of());
        h.put("RestartPolicy", Map.of("Name", "no", "MaximumRetryCount", 0));
        h.put("AutoRemove", false);
        h.put("VolumeDriver", "");
        h.put("VolumesFrom", null);
        h.put("CapAdd", null);
        h.put("CapDrop", null);
        h.put("CgroupnsMode", "private");
        h.put("Dns", List.of());
        h.put("DnsOptions", List.of());
        h.put("DnsSearch", List.of());
        h.put("ExtraHosts", null);
        h.put("GroupAdd", null);
        h.put("IpcMode", "private");
        h.put("Links", null);
        h.put("OomScoreAdj", 0);
        h.put("PidMode", "");
        h.put("Privileged", false);
        h.put("PublishAllPorts", false);
        h.put("ReadonlyRootfs", false);
        h.put("SecurityOpt", null);
        h.put("UTSMode", "");
        h.put("UsernsMode", "");
        h.put("ShmSize", 67108864L);
        h.put("Runtime", "berth");
        h.put("Isolation", "");
        h.put("CpuShares", 0);
        h.put("Memory", 0);
        h.put("NanoCpus", 0);
        h.put("CgroupParent", "");
        h.put("BlkioWeight", 0);
        h.put("CpuPeriod", 0);
        h.put("CpuQuota", 0);
        h.put("CpusetCpus", "");
        h.put("CpusetMems", "");
        h.put("Devices", List.of());
        h.put("MemoryReservation", 0);
        h.put("MemorySwap", 0);
        h.put("OomKillDisable", null);
        h.put("PidsLimit", null);
        h.put("Ulimits", List.of());
        h.putAll(given);
        return h;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> config(ContainerRecord r) {
        Map<String, Object> given = r.config() == null ? Map.of() : Json.mapper().convertValue(r.config(), Map.class);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("Hostname", r.id().substring(0, 12));
        c.put("Domainname", "");
        c.put("User", "");
        c.put("AttachStdin", false);
        c.put("AttachStdout", false);
        c.put("AttachStderr", false);
        c.put("Tty", false);
        c.put("OpenStdin", false);
        c.put("StdinOnce", false);
        c.put("Env", List.of());
        c.put("Cmd", null);
        c.put("Image", r.imageRef());
        c.put("Volumes", null);
        c.put("WorkingDir", "");
        c.put("Entrypoint", null);
        c.put("OnBuild", null);
        c.put("Labels", Map.of());
        given.forEach((k, v) -> {
            if (v != null && !(v instanceof String s && s.isEmpty() && c.get(k) instanceof String)) {
                c.put(k, v);
            }
        });
        return c;
    }
}
