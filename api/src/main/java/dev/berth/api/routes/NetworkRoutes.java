package dev.berth.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.container.Containers;
import dev.berth.engine.events.Events;
import dev.berth.engine.network.ContainerNetworking;
import dev.berth.engine.network.EndpointConfig;
import dev.berth.oci.runtime.Json;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /networks: list, inspect, create, remove, connect, disconnect, prune (Docker Engine API, bridge driver). */
public final class NetworkRoutes {
    private NetworkRoutes() {}

    public static void register(Router router, ContainerNetworking networking, Containers containers, Events events) {
        router.get("/networks", (req, res) -> res.json(networking.list(req.query().filters())));
        router.post("/networks/create", (req, res) -> {
            JsonNode body = req.jsonTree();
            if (body == null || body.isNull()) {
                throw new EngineException(400, "network name cannot be empty");
            }
            JsonNode ipam = body.path("IPAM").path("Config");
            JsonNode cfg = ipam.isArray() && !ipam.isEmpty() ? ipam.get(0) : null;
            if (ipam.isArray() && ipam.size() > 1) {
                throw new EngineException(400, "only one IPAM config (one IPv4 subnet) is supported");
            }
            if (body.path("EnableIPv6").asBoolean(false)) {
                throw new EngineException(400, "IPv6 networks are not supported");
            }
            UnsupportedOptions.checkNetworkCreate(body);
            String id = networking.create(text(body, "Name"), text(body, "Driver"), body.path("Internal").asBoolean(false),
                    strings(body.get("Labels")), cfg == null ? null : text(cfg, "Subnet"), cfg == null ? null : text(cfg, "Gateway"),
                    cfg == null ? null : text(cfg, "IPRange"));
            events.publish("network", "create", id, Map.of("name", text(body, "Name"), "type", "bridge"));
            res.json(201, Map.of("Id", id, "Warning", ""));
        });
        router.post("/networks/prune", (req, res) -> {
            List<String> removed = networking.prune(n -> false);
            res.json(Map.of("NetworksDeleted", removed));
        });
        router.get("/networks/{id}", (req, res) -> res.json(networking.inspect(req.pathParam("id"))));
        router.delete("/networks/{id}", (req, res) -> {
            Map<String, Object> n = networking.inspect(req.pathParam("id"));
            networking.remove((String) n.get("Name"));
            events.publish("network", "destroy", (String) n.get("Id"), Map.of("name", (String) n.get("Name"), "type", "bridge"));
            res.status(204);
        });
        router.post("/networks/{id}/connect", (req, res) -> {
            JsonNode body = req.jsonTree();
            String container = body == null ? null : text(body, "Container");
            if (container == null || container.isEmpty()) {
                throw new EngineException(400, "no container given");
            }
            JsonNode ec = body.get("EndpointConfig");
            EndpointConfig cfg = ec == null || ec.isNull() ? EndpointConfig.NONE : Json.mapper().treeToValue(ec, EndpointConfig.class);
            containers.connectNetwork(container, networkName(networking, req.pathParam("id")), cfg);
            res.status(200);
        });
        router.post("/networks/{id}/disconnect", (req, res) -> {
            JsonNode body = req.jsonTree();
            String container = body == null ? null : text(body, "Container");
            if (container == null || container.isEmpty()) {
                throw new EngineException(400, "no container given");
            }
            containers.disconnectNetwork(container, req.pathParam("id"), body.path("Force").asBoolean(false));
            res.status(200);
        });
    }

    /** host and none cannot take endpoints: docker's errors. */
    private static String networkName(ContainerNetworking networking, String idOrName) {
        Map<String, Object> n = networking.inspect(idOrName);
        String name = (String) n.get("Name");
        if (name.equals("host") || name.equals("none")) {
            throw new EngineException(400, "container cannot be disconnected from host network or connected to host network");
        }
        return name;
    }

    /** NetworkingConfig.EndpointsConfig of a create body: per network name, --ip and --network-alias. */
    static Map<String, EndpointConfig> endpointsConfig(JsonNode body) throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode ec = body.path("NetworkingConfig").path("EndpointsConfig");
        Map<String, EndpointConfig> out = new LinkedHashMap<>();
        if (ec.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = ec.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue() == null || e.getValue().isNull() ? EndpointConfig.NONE
                        : Json.mapper().treeToValue(e.getValue(), EndpointConfig.class));
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
