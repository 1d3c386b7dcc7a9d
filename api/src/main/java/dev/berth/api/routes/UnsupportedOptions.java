package dev.berth.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.EngineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options of a container's create or update body (or a network's) that berth does not carry out, refused with
 * a 400 naming the field and its docker flag instead of being dropped on the floor: a user who
 * asks for --link or --device-read-iops must learn that it did not happen. The records the engine
 * binds ignore unknown fields (clients send every field, mostly empty), so this looks at the body
 * itself, and only a value that asks for something counts: docker's CLI sends empty strings,
 * zeros, empty lists and nulls for options not given.
 */
final class UnsupportedOptions {
    /** HostConfig field -> the flag a docker user typed; resources first (update takes those too). */
    private static final Map<String, String> RESOURCES = Map.of(
            "BlkioWeightDevice", "--blkio-weight-device",
            "BlkioDeviceReadIOps", "--device-read-iops",
            "BlkioDeviceWriteIOps", "--device-write-iops",
            "CpuRealtimePeriod", "--cpu-rt-period",
            "CpuRealtimeRuntime", "--cpu-rt-runtime",
            "DeviceCgroupRules", "--device-cgroup-rule",
            "DeviceRequests", "--gpus",
            "CpuCount", "--cpu-count",
            "CpuPercent", "--cpu-percent",
            "CgroupParent", "--cgroup-parent");
    private static final Map<String, String> HOST = Map.of(
            "VolumesFrom", "--volumes-from",
            "StorageOpt", "--storage-opt",
            "IOMaximumBandwidth", "--io-maxbandwidth",
            "IOMaximumIOps", "--io-maxiops");
    private static final Map<String, String> ENDPOINT = Map.of(
            "MacAddress", "--mac-address",
            "DriverOpts", "--driver-opt");

    private UnsupportedOptions() {}

    /**
     * Refuses what a create body asks for and berth cannot do; returns docker's warnings for what
     * it accepts and ignores (a kernel memory limit, which dockerd ignores too since API 1.42).
     */
    static List<String> checkCreate(JsonNode body) {
        JsonNode host = body.get("HostConfig");
        List<String> warnings = new ArrayList<>();
        if (host != null && host.isObject()) {
            refuseResources(host);
            refuse(host, HOST);
            text(host, "UsernsMode", "--userns", "host");
            text(host, "Runtime", "--runtime", "berth", "runc");
            text(host, "Isolation", "--isolation", "default");
            // As dockerd: the driver matters only when the container makes volumes, and then none but local exists.
            String driver = host.path("VolumeDriver").asText("");
            boolean volumes = asksForSomething(host.get("Binds")) || asksForSomething(host.get("Mounts"))
                    || asksForSomething(body.get("Volumes"));
            if (volumes && !driver.isEmpty() && !driver.equals("local")) {
                throw new EngineException(404, "error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
            }
            String cgroupns = host.path("CgroupnsMode").asText("");
            if (!cgroupns.isEmpty() && !cgroupns.equals("host") && !cgroupns.equals("private")) {
                throw new EngineException(400, "invalid cgroup namespace mode: " + cgroupns);
            }
            if (host.path("KernelMemory").asLong(0) != 0) {
                warnings.add("Specifying a kernel memory limit is deprecated and will be removed in a future release.");
            }
        }
        if (body.path("MacAddress").asText("").length() > 0) {
            throw notSupported("MacAddress", "--mac-address");
        }
        for (JsonNode endpoint : body.path("NetworkingConfig").path("EndpointsConfig")) {
            refuse(endpoint, ENDPOINT);
            if (!endpoint.path("IPAMConfig").path("LinkLocalIPs").isEmpty()) {
                throw notSupported("LinkLocalIPs", "--link-local-ip");
            }
        }
        return warnings;
    }

    /** POST /networks/create: a bridge of berth's own, so driver options, IPAM options and swarm's kinds are refused. */
    static void checkNetworkCreate(JsonNode body) {
        if (asksForSomething(body.get("Options"))) {
            throw notSupported("Options", "--opt");
        }
        if (asksForSomething(body.path("IPAM").get("Options"))) {
            throw notSupported("IPAM.Options", "--ipam-opt");
        }
        text(body.path("IPAM"), "Driver", "--ipam-driver", "default");
        for (JsonNode config : body.path("IPAM").path("Config")) {
            if (asksForSomething(config.get("AuxiliaryAddresses"))) {
                throw notSupported("AuxiliaryAddresses", "--aux-address");
            }
        }
        refuse(body, Map.of("Ingress", "--ingress", "ConfigOnly", "--config-only", "ConfigFrom", "--config-from"));
        text(body, "Scope", "--scope", "local");
        if (body.has("EnableIPv4") && !body.get("EnableIPv4").asBoolean(true)) {
            throw notSupported("EnableIPv4", "--ipv4=false");
        }
    }

    /** An update body holds resources only: the same refusals for them. */
    static void checkUpdate(JsonNode body) {
        if (body != null && body.isObject()) {
            refuseResources(body);
        }
    }

    private static void refuseResources(JsonNode resources) {
        refuse(resources, RESOURCES);
        // -1 (or null) is docker's "leave the kernel's default"
        if (resources.hasNonNull("MemorySwappiness") && resources.get("MemorySwappiness").asLong() != -1) {
            throw notSupported("MemorySwappiness", "--memory-swappiness");
        }
    }

    private static void refuse(JsonNode object, Map<String, String> fields) {
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (asksForSomething(object.get(f.getKey()))) {
                throw notSupported(f.getKey(), f.getValue());
            }
        }
    }

    /** A string field whose empty value and the {@code accepted} ones are what berth does anyway. */
    private static void text(JsonNode object, String field, String flag, String... accepted) {
        String value = object.path(field).asText("");
        if (!value.isEmpty() && !List.of(accepted).contains(value)) {
            throw notSupported(field, flag);
        }
    }

    private static boolean asksForSomething(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isContainerNode()) {
            return !v.isEmpty();
        }
        if (v.isNumber()) {
            return v.asLong() != 0;
        }
        return v.isBoolean() ? v.asBoolean() : !v.asText().isEmpty();
    }

    private static EngineException notSupported(String field, String flag) {
        return new EngineException(400, field + " (" + flag + ") is not supported by berth");
    }
}
