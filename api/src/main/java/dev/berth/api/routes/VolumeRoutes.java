package dev.berth.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.http.Request;
import dev.berth.api.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.volume.MountPoint;
import dev.berth.engine.volume.VolumeFilters;
import dev.berth.engine.volume.VolumeView;
import dev.berth.engine.volume.Volumes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /volumes: create, list, inspect, remove, prune (Docker Engine API, local driver). */
public final class VolumeRoutes {
    private VolumeRoutes() {}

    public static void register(Router router, Volumes volumes) {
        router.post("/volumes/create", (req, res) -> {
            JsonNode body = req.jsonTree();
            VolumeView v = volumes.create(text(body, "Name"), text(body, "Driver"), strings(body, "DriverOpts"),
                    strings(body, "Labels"));
            res.json(201, json(v));
        });
        router.get("/volumes", (req, res) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Volumes", volumes.list(filters(req)).stream().map(VolumeRoutes::json).toList());
            m.put("Warnings", List.of());
            res.json(m);
        });
        router.post("/volumes/prune", (req, res) -> {
            VolumeFilters f = filters(req);
            // Before API 1.42 prune took every unused volume; the "all" filter came with the change.
            if (req.apiVersion().map(v -> !v.atLeast("1.42")).orElse(false)) {
                Map<String, List<String>> all = new LinkedHashMap<>(f.values());
                all.put("all", List.of("true"));
                f = new VolumeFilters(all);
            }
            Volumes.Pruned p = volumes.prune(f);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("VolumesDeleted", p.deleted());
            m.put("SpaceReclaimed", p.spaceReclaimed());
            res.json(m);
        });
        router.get("/volumes/{name}", (req, res) -> res.json(json(volumes.inspect(req.pathParam("name")))));
        router.delete("/volumes/{name}", (req, res) -> {
            volumes.remove(req.pathParam("name"), req.query().bool("force", false));
            res.status(204);
        });
    }

    static Map<String, Object> json(VolumeView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CreatedAt", v.createdAt());
        m.put("Driver", v.driver());
        m.put("Labels", v.labels());
        m.put("Mountpoint", v.mountpoint());
        m.put("Name", v.name());
        m.put("Options", v.options());
        m.put("Scope", v.scope());
        return m;
    }

    /** A container's mounts as inspect and list show them. */
    static List<Map<String, Object>> mounts(List<MountPoint> points) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MountPoint p : points) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", p.type());
            if (p.name() != null) {
                m.put("Name", p.name());
            }
            m.put("Source", p.source() == null ? "" : p.source());
            m.put("Destination", p.destination());
            if (p.type().equals("volume")) {
                m.put("Driver", p.driver());
            }
            m.put("Mode", p.mode() == null ? "" : p.mode());
            m.put("RW", p.rw());
            m.put("Propagation", p.propagation() == null ? "" : p.propagation());
            out.add(m);
        }
        return out;
    }

    /** docker's filters parameter, in either shape: {"k":["v"]} or {"k":{"v":true}}. */
    private static VolumeFilters filters(Request req) {
        JsonNode node = req.query().json("filters").orElse(null);
        if (node == null) {
            return VolumeFilters.none();
        }
        if (!node.isObject()) {
            throw new EngineException(400, "invalid filter: expected a JSON object");
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> list = new ArrayList<>();
            if (e.getValue().isArray()) {
                e.getValue().forEach(v -> list.add(v.asText()));
            } else if (e.getValue().isObject()) {
                e.getValue().fieldNames().forEachRemaining(list::add);
            } else {
                list.add(e.getValue().asText());
            }
            values.put(e.getKey(), list);
        }
        return new VolumeFilters(values);
    }

    private static String text(JsonNode body, String field) {
        return body == null || !body.hasNonNull(field) ? null : body.get(field).asText();
    }

    private static Map<String, String> strings(JsonNode body, String field) {
        if (body == null || !body.hasNonNull(field)) {
            return null;
        }
        JsonNode n = body.get(field);
        if (!n.isObject()) {
            throw new EngineException(400, field + ": expected an object of strings");
        }
        Map<String, String> m = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }
}
