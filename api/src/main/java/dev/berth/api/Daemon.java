package dev.berth.api;

import dev.berth.api.http.ApiVersion;
import dev.berth.api.http.ErrorMapper;
import dev.berth.api.http.Request;
import dev.berth.api.http.Response;
import dev.berth.api.http.Router;
import dev.berth.api.http.UnixHttpServer;
import dev.berth.api.routes.CommitRoutes;
import dev.berth.api.routes.ContainerRoutes;
import dev.berth.api.routes.ContainerToolRoutes;
import dev.berth.api.routes.EventRoutes;
import dev.berth.api.routes.ImageRoutes;
import dev.berth.api.routes.NetworkRoutes;
import dev.berth.api.routes.SystemRoutes;
import dev.berth.api.routes.VolumeRoutes;
import dev.berth.engine.Engine;
import dev.berth.engine.EngineException;
import dev.berth.engine.config.DaemonConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * `berth daemon`: the engine served as the Docker Engine API on a unix socket. Flags as
 * dockerd's: --data-root, --exec-root, -H/--host, --group, --config-file, --debug. SIGTERM (or
 * SIGINT) stops it cleanly; containers keep running under their shims.
 */
public final class Daemon {
    private Daemon() {}

    public static void main(String[] argv) throws Exception {
        try {
            serve(argv);
        } catch (EngineException | java.io.IOException e) {
            System.err.println("berth daemon: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void serve(String[] argv) throws Exception {
        String dataRoot = null, execRoot = null, group = null, configFile = "/etc/berth/daemon.json";
        List<String> hosts = new ArrayList<>();
        boolean debug = false;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            switch (name) {
                case "--data-root" -> dataRoot = value != null ? value : argv[++i];
                case "--exec-root" -> execRoot = value != null ? value : argv[++i];
                case "-H", "--host" -> hosts.add(value != null ? value : argv[++i]);
                case "-G", "--group" -> group = value != null ? value : argv[++i];
                case "--config-file" -> configFile = value != null ? value : argv[++i];
                case "-D", "--debug" -> debug = true;
                default -> {
                    System.err.println("berth daemon: unknown flag: " + a);
                    System.exit(125);
                }
            }
        }
        DaemonConfig config = DaemonConfig.load(Path.of(configFile)).withOverrides(dataRoot, execRoot, hosts, group);
        Engine engine = Engine.open(config);
        Router router = new Router().versions(ApiVersion.parse(SystemRoutes.MIN_API_VERSION), ApiVersion.parse(SystemRoutes.API_VERSION));
        SystemRoutes.register(router, engine);
        ImageRoutes.register(router, engine);
        CommitRoutes.register(router, engine);
        ContainerRoutes.register(router, engine.containers(), engine.mounts(), engine.tools().execs());
        ContainerToolRoutes.register(router, engine.tools());
        EventRoutes.register(router, engine.events());
        VolumeRoutes.register(router, engine.volumes());
        NetworkRoutes.register(router, engine.networking(), engine.containers(), engine.events());
        router.notFound(Daemon::notServed);
        UnixHttpServer.Builder builder = UnixHttpServer.builder(config.socketPath(), router)
                .responseHeaders(h -> {
                    h.set("Api-Version", SystemRoutes.API_VERSION);
                    h.set("Docker-Experimental", "false");
                    h.set("Ostype", "linux");
                    h.set("Server", "Berth/" + Engine.VERSION + " (linux)");
                })
                .errorMapper(Daemon::httpError);
        if (config.socketGroup() != null) {
            builder.group(config.socketGroup());
        }
        // The hook is in place before the socket exists: a SIGTERM that lands while the server
        // starts must still remove the socket.
        AtomicReference<UnixHttpServer> server = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            UnixHttpServer running = server.get();
            if (running != null) {
                running.stop(Duration.ofSeconds(10));
            }
            deleteQuietly(config.socketPath());
            engine.close();
            stopped.countDown();
        }, "berth-shutdown"));
        server.set(builder.start());
        System.err.println("berth daemon " + Engine.VERSION + " serving on unix://" + config.socketPath()
                + (debug ? " (debug)" : ""));
        stopped.await();
    }

    /**
     * Engine errors carry their status; a body that does not bind (a string where a number
     * belongs) is the client's fault, docker's 400 naming the field.
     */
    private static ErrorMapper.HttpError httpError(Throwable t) {
        if (t instanceof EngineException e) {
            return new ErrorMapper.HttpError(e.status(), e.getMessage());
        }
        if (t instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m) {
            String field = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("body");
            return new ErrorMapper.HttpError(400, "json: cannot unmarshal " + field + ": " + m.getOriginalMessage());
        }
        return null;
    }

    /**
     * docker's 404 "page not found" for an unknown path; build (/build, BuildKit's /session) is a
     * 501; swarm's endpoints answer as a dockerd that is in no swarm does (503), so that `docker
     * node ls` or `docker service ls` say what docker says.
     */
    private static void notServed(Request req, Response res) throws Exception {
        String path = req.path().replaceFirst("^/v[0-9][0-9.]*(?=/)", "");
        if (path.equals("/build") || path.equals("/session")) {
            res.error(501, "image build (docker build) is not implemented by berth yet");
            return;
        }
        if (SWARM.matcher(path).matches()) {
            res.error(503, "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.");
            return;
        }
        res.error(404, "page not found");
    }

    private static final java.util.regex.Pattern SWARM = java.util.regex.Pattern.compile("/(swarm|nodes|services|tasks|secrets|configs)(/.*)?");

    private static void deleteQuietly(Path socket) {
        try {
            java.nio.file.Files.deleteIfExists(socket);
        } catch (java.io.IOException e) {
            System.err.println("berth daemon: removing " + socket + ": " + e.getMessage());
        }
    }
}
