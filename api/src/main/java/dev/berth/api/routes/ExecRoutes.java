package dev.berth.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.http.Hijacked;
import dev.berth.api.http.Request;
import dev.berth.api.http.Response;
import dev.berth.api.http.Router;
import dev.berth.api.http.StdStream;
import dev.berth.engine.EngineException;
import dev.berth.engine.container.ExecRecord;
import dev.berth.engine.container.Execs;
import dev.berth.engine.container.Output;
import dev.berth.engine.model.ExecConfig;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker exec: POST /containers/{id}/exec, POST /exec/{id}/start, GET /exec/{id}/json, POST /exec/{id}/resize. */
public final class ExecRoutes {
    private ExecRoutes() {}

    public static void register(Router router, Execs execs) {
        router.post("/containers/{id}/exec", (req, res) -> {
            JsonNode body = req.jsonTree();
            ExecConfig config = body == null || body.isNull() ? null : Json.mapper().treeToValue(body, ExecConfig.class);
            if (config != null) {
                detachKeys(config); // refused at create, as dockerd does
            }
            res.json(201, Map.of("Id", execs.create(req.pathParam("id"), config).id()));
        });
        router.post("/exec/{id}/start", (req, res) -> start(req, res, execs));
        router.get("/exec/{id}/json", (req, res) -> res.json(inspect(execs.inspect(req.pathParam("id")))));
        router.post("/exec/{id}/resize", (req, res) -> {
            int h = (int) req.query().integer("h", 0), w = (int) req.query().integer("w", 0);
            execs.resize(req.pathParam("id"), h, w);
            res.status(200);
        });
    }

    /**
     * Detached: the exec runs in the background and the answer is an empty 200. Otherwise the
     * connection is hijacked first (as dockerd does), then the process starts; output flows as
     * raw bytes with a tty, else in docker's multiplexed frames; the client's bytes are its stdin.
     * A start failure is written into the stream, where the docker CLI prints it; the exit
     * code is then in the exec's inspect.
     *
     * With a tty, as in dockerd: the detach keys (the exec's DetachKeys, else ctrl-p,ctrl-q) or
     * the end of the client's stdin end the attach and the process runs on (its exit is still
     * recorded); without one, the end of stdin closes the process's stdin. A client gone away
     * ends the attach too.
     */
    private static void start(Request req, Response res, Execs execs) throws Exception {
        String id = req.pathParam("id");
        JsonNode body = req.jsonTree();
        boolean detach = body != null && body.path("Detach").asBoolean(false);
        boolean tty = execs.tty(id);
        if (detach) {
            execs.start(id, true);
            res.status(200);
            return;
        }
        Execs.Started runsOn = null;
        try (Hijacked h = res.hijack(tty ? Hijacked.RAW_STREAM : Hijacked.MULTIPLEXED_STREAM)) {
            OutputStream out = h.output();
            Execs.Started started;
            try {
                started = execs.start(id, false);
            } catch (EngineException e) {
                write(out, tty, false, (e.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            ExecConfig config = execs.inspect(id).config();
            if (Boolean.TRUE.equals(config.attachStdin())) {
                DetachKeys keys = tty ? detachKeys(config) : null;
                Thread.ofVirtual().start(() -> relayStdin(h, started, keys));
            }
            // A stream the client did not attach is read all the same (the process must not block on it), and dropped.
            boolean stdout = Boolean.TRUE.equals(config.attachStdout()), stderr = Boolean.TRUE.equals(config.attachStderr());
            try {
                for (Output o; (o = started.next()) != null; ) {
                    if (o.stderr() ? stderr : stdout) {
                        write(out, tty, o.stderr(), o.data());
                    }
                }
                // The process's output is over: its exit is recorded before the client hears the end.
                started.awaitExit();
                return;
            } catch (IOException detachedOrGone) {
                started.detach(false);
                runsOn = started;
            }
        }
        // The attach is over (the client hears the end), the process runs on: its exit is still recorded.
        runsOn.awaitExit();
    }

    /**
     * The client's bytes to the process. {@code keys} (a tty's detach keys, else null) typed end
     * the attach; the end of the client's stdin closes the process's, except on a terminal,
     * where it ends the attach (dockerd's CopyStreams).
     */
    private static void relayStdin(Hijacked h, Execs.Started started, DetachKeys keys) {
        try (InputStream in = h.input()) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (keys == null) {
                    started.stdin(buf, n);
                    continue;
                }
                byte[] pass = keys.filter(buf, n);
                if (pass.length > 0) {
                    started.stdin(pass, pass.length);
                }
                if (keys.detached()) {
                    started.detach(true);
                    return;
                }
            }
            if (keys == null) {
                started.closeStdin();
            } else {
                started.detach(false);
            }
        } catch (IOException ignored) {
            // the client or the process went away
        }
    }

    /** The exec's detach keys (ctrl-p,ctrl-q unless it names others); dockerd's words when they do not parse. */
    private static DetachKeys detachKeys(ExecConfig config) {
        try {
            return DetachKeys.parse(config.detachKeys());
        } catch (EngineException e) {
            throw new EngineException(400, "Invalid escape keys (" + config.detachKeys() + ") provided");
        }
    }

    private static void write(OutputStream out, boolean tty, boolean stderr, byte[] data) throws IOException {
        if (tty) {
            out.write(data);
        } else {
            StdStream.writeFrame(out, stderr ? StdStream.Kind.STDERR : StdStream.Kind.STDOUT, data);
        }
        out.flush();
    }

    /** GET /exec/{id}/json as dockerd shapes it. */
    static Map<String, Object> inspect(ExecRecord e) {
        ExecConfig c = e.config();
        List<String> cmd = c.cmd();
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("tty", Boolean.TRUE.equals(c.tty()));
        process.put("entrypoint", cmd.getFirst());
        process.put("arguments", cmd.subList(1, cmd.size()));
        process.put("privileged", Boolean.TRUE.equals(c.privileged()));
        process.put("user", c.user() == null ? "" : c.user());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CanRemove", false);
        m.put("ContainerID", e.containerId());
        m.put("DetachKeys", c.detachKeys() == null ? "" : c.detachKeys());
        m.put("ExitCode", e.exitCode());
        m.put("ID", e.id());
        m.put("OpenStderr", Boolean.TRUE.equals(c.attachStderr()));
        m.put("OpenStdin", Boolean.TRUE.equals(c.attachStdin()));
        m.put("OpenStdout", Boolean.TRUE.equals(c.attachStdout()));
        m.put("ProcessConfig", process);
        m.put("Running", e.running());
        m.put("Pid", e.pid());
        return m;
    }
}
