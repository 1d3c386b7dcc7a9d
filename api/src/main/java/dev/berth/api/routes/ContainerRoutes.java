package dev.berth.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.http.Hijacked;
import dev.berth.api.http.Request;
import dev.berth.api.http.ResponseStream;
import dev.berth.api.http.Router;
import dev.berth.api.http.StdStream;
import dev.berth.engine.EngineException;
import dev.berth.engine.container.AttachSession;
import dev.berth.engine.container.Attachments;
import dev.berth.engine.container.ContainerRecord;
import dev.berth.engine.container.Containers;
import dev.berth.engine.container.Execs;
import dev.berth.engine.container.LogFollower;
import dev.berth.engine.container.Timestamps;
import dev.berth.engine.container.Output;
import dev.berth.engine.container.StopSignal;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.volume.ContainerMounts;
import dev.berth.oci.runtime.Json;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /containers: create, start, wait, attach, logs, kill, stop, remove, list, inspect (Docker Engine API). */
public final class ContainerRoutes {
    private ContainerRoutes() {}

    public static void register(Router router, Containers containers, ContainerMounts mounts, Execs execs) {
        router.post("/containers/create", (req, res) -> {
            JsonNode body = req.jsonTree();
            if (body == null || body.isNull()) {
                throw new EngineException(400, "config cannot be empty in order to create a container");
            }
            foldEndpointLinks(body);
            ContainerConfig config = Json.mapper().treeToValue(body, ContainerConfig.class);
            HostConfig host = body.hasNonNull("HostConfig") ? Json.mapper().treeToValue(body.get("HostConfig"), HostConfig.class) : null;
            List<String> warnings = UnsupportedOptions.checkCreate(body);
            ContainerRecord r = containers.create(req.query().get("name"), config, host, NetworkRoutes.endpointsConfig(body));
            res.json(201, Map.of("Id", r.id(), "Warnings", warnings));
        });
        router.post("/containers/{id}/start", (req, res) -> {
            try {
                containers.start(req.pathParam("id"));
                res.status(204);
            } catch (EngineException e) {
                if (e.status() != 304) {
                    throw e;
                }
                res.status(304);
            }
        });
        router.post("/containers/{id}/wait", (req, res) -> {
            String id = containers.get(req.pathParam("id")).id();
            // Headers first: the client knows the wait is registered before it starts the container.
            try (ResponseStream out = res.stream(200, "application/json")) {
                out.flush();
                int code = containers.waitFor(id, req.query().get("condition"));
                out.writeJson(Map.of("StatusCode", code));
            }
        });
        router.post("/containers/{id}/attach", (req, res) -> attach(req, res, containers));
        router.get("/containers/{id}/logs", (req, res) -> logs(req, res, containers));
        router.post("/containers/{id}/kill", (req, res) -> {
            containers.kill(req.pathParam("id"), StopSignal.parse(req.query().getOr("signal", "SIGKILL")));
            res.status(204);
        });
        router.post("/containers/{id}/stop", (req, res) -> {
            String t = req.query().get("t");
            containers.stop(req.pathParam("id"), t == null ? null : Integer.valueOf(t));
            res.status(204);
        });
        router.post("/containers/{id}/restart", (req, res) -> {
            String t = req.query().get("t");
            containers.restart(req.pathParam("id"), t == null || t.isEmpty() ? null : Integer.valueOf(t));
            res.status(204);
        });
        router.post("/containers/{id}/pause", (req, res) -> {
            containers.pause(req.pathParam("id"));
            res.status(204);
        });
        router.post("/containers/{id}/unpause", (req, res) -> {
            containers.unpause(req.pathParam("id"));
            res.status(204);
        });
        router.post("/containers/{id}/rename", (req, res) -> {
            containers.rename(req.pathParam("id"), req.query().get("name"));
            res.status(204);
        });
        router.post("/containers/{id}/update", (req, res) -> {
            JsonNode body = req.jsonTree();
            UnsupportedOptions.checkUpdate(body);
            HostConfig changes = body == null || body.isNull() ? null : Json.mapper().treeToValue(body, HostConfig.class);
            containers.update(req.pathParam("id"), changes);
            res.json(200, Map.of("Warnings", List.of()));
        });
        router.post("/containers/prune", (req, res) -> {
            Containers.Pruned pruned = containers.prune(req.query().filters());
            res.json(200, Map.of("ContainersDeleted", pruned.containersDeleted(), "SpaceReclaimed", pruned.spaceReclaimed()));
        });
        router.post("/containers/{id}/resize", (req, res) -> {
            containers.resize(req.pathParam("id"), (int) req.query().integer("h", 0), (int) req.query().integer("w", 0));
            res.status(200);
        });
        router.delete("/containers/{id}", (req, res) -> {
            containers.remove(req.pathParam("id"), req.query().bool("force", false), req.query().bool("v", false));
            res.status(204);
        });
        router.get("/containers/json", (req, res) -> {
            long limit = req.query().integer("limit", -1);
            boolean all = req.query().bool("all", false) || limit > 0;
            boolean size = req.query().bool("size", false);
            res.json(containers.list(all, req.query().filters()).stream()
                    .limit(limit > 0 ? limit : Long.MAX_VALUE)
                    .map(r -> {
                        Map<String, Object> m = ContainerJson.summary(r, VolumeRoutes.mounts(mounts.of(r.id())), containers.ports(r),
                                containers.networkSettings(r));
                        if (size) { // docker ps -s: du of the read-write layer, on request only
                            m.put("SizeRw", containers.sizeRw(r.id()));
                            m.put("SizeRootFs", containers.sizeRootFs(r));
                        }
                        return m;
                    }).toList());
        });
        router.get("/containers/{id}/json", (req, res) -> {
            ContainerRecord r = containers.get(req.pathParam("id"));
            Map<String, Object> m = ContainerJson.inspect(r, containers.logFile(r.id()).toString(), VolumeRoutes.mounts(mounts.of(r.id())),
                    containers.networkSettings(r), execs.idsOf(r));
            if (req.query().bool("size", false)) { // docker inspect -s
                m.put("SizeRw", containers.sizeRw(r.id()));
                m.put("SizeRootFs", containers.sizeRootFs(r));
            }
            res.json(m);
        });
    }

    /**
     * docker's CLI puts --link into the endpoint config of a user network (and into HostConfig
     * for the default bridge): the engine serves both from HostConfig.Links.
     */
    private static void foldEndpointLinks(JsonNode body) {
        if (!(body.path("HostConfig") instanceof com.fasterxml.jackson.databind.node.ObjectNode host)) {
            return;
        }
        for (JsonNode endpoint : body.path("NetworkingConfig").path("EndpointsConfig")) {
            for (JsonNode link : endpoint.path("Links")) {
                JsonNode links = host.path("Links");
                (links.isArray() ? (com.fasterxml.jackson.databind.node.ArrayNode) links : host.putArray("Links")).add(link.asText());
            }
        }
    }

    /**
     * Relays the shim's attach stream: its records become docker's multiplexed frames (or raw
     * bytes with a tty); what the client sends becomes stdin records; the client closing its
     * side closes the container's stdin.
     */
    private static void attach(Request req, dev.berth.api.http.Response res, Containers containers) throws Exception {
        ContainerRecord r = containers.get(req.pathParam("id"));
        boolean tty = r.config() != null && Boolean.TRUE.equals(r.config().tty());
        boolean wantStdin = req.query().bool("stdin", false);
        // Registered before the client hears the attach is up: its next call is the start.
        try (Attachments.Pending pending = containers.attach(r.id());
             Hijacked h = res.hijack(tty ? Hijacked.RAW_STREAM : Hijacked.MULTIPLEXED_STREAM);
             AttachSession shim = pending.connect()) {
            if (wantStdin) {
                DetachKeys detach = DetachKeys.parse(req.query().get("detachKeys"));
                // docker: the client's end of stdin closes the container's only for a
                // StdinOnce container without a tty (docker run -i); a detach never does.
                boolean closeStdinAtEnd = !tty && r.config() != null && Boolean.TRUE.equals(r.config().stdinOnce());
                Thread.ofVirtual().start(() -> {
                    try (InputStream in = h.input()) {
                        byte[] buf = new byte[8192];
                        for (int n; (n = in.read(buf)) >= 0; ) {
                            byte[] pass = detach.filter(buf, n);
                            shim.stdin(pass, pass.length);
                            if (detach.detached()) {
                                shim.close(); // ends the output loop below: the attach is over
                                return;
                            }
                        }
                        if (closeStdinAtEnd) {
                            shim.closeStdin();
                        }
                    } catch (java.io.IOException ignored) {
                        // the client or the container went away
                    }
                });
            }
            OutputStream out = h.output();
            try {
                for (Output o; (o = shim.next()) != null; ) {
                    write(out, tty, o, false);
                }
            } catch (java.nio.channels.ClosedChannelException detached) {
                // the detach keys were typed
            }
        }
    }

    private static void logs(Request req, dev.berth.api.http.Response res, Containers containers) throws Exception {
        ContainerRecord r = containers.get(req.pathParam("id"));
        boolean tty = r.config() != null && Boolean.TRUE.equals(r.config().tty());
        boolean stdout = req.query().bool("stdout", false), stderr = req.query().bool("stderr", false);
        boolean timestamps = req.query().bool("timestamps", false);
        try (ResponseStream out = res.stream(200, tty ? Hijacked.RAW_STREAM : Hijacked.MULTIPLEXED_STREAM)) {
            String tail = req.query().getOr("tail", "all");
            LogFollower.Selection selection = new LogFollower.Selection(time(req.query().get("since")), time(req.query().get("until")),
                    tail.matches("\\d+") ? Integer.parseInt(tail) : -1); // docker: anything but a count is "all"
            containers.logs(r.id(), req.query().bool("follow", false), selection, o -> {
                if (o.stderr() ? stderr : stdout) {
                    write(out, tty, o, timestamps);
                }
            });
        }
    }

    /** since/until of docker logs: unix seconds (0 meaning none), or absent. */
    private static java.time.Instant time(String value) {
        if (value == null || value.isEmpty() || value.equals("0")) {
            return null;
        }
        return Timestamps.parse(value);
    }

    /** Output as docker sends it: raw bytes with a tty, else stdcopy frames; optionally time-stamped. */
    private static void write(OutputStream out, boolean tty, Output o, boolean timestamps) throws java.io.IOException {
        byte[] data = timestamps ? (o.time() + " " + new String(o.data(), java.nio.charset.StandardCharsets.UTF_8)).getBytes() : o.data();
        if (tty) {
            out.write(data);
        } else {
            StdStream.writeFrame(out, o.stderr() ? StdStream.Kind.STDERR : StdStream.Kind.STDOUT, data);
        }
        out.flush();
    }

}
