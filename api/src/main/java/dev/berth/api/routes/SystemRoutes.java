package dev.berth.api.routes;

import dev.berth.api.http.Handler;
import dev.berth.api.http.Router;
import dev.berth.engine.DiskUsage;
import dev.berth.engine.Engine;
import dev.berth.engine.image.ImageView;
import dev.berth.engine.SystemInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /_ping, /version, /info: what every client asks first (Docker Engine API "System"). */
public final class SystemRoutes {
    public static final String API_VERSION = "1.47";
    public static final String MIN_API_VERSION = "1.24";

    private SystemRoutes() {}

    public static void register(Router router, Engine engine) {
        Handler ping = (req, res) -> {
            res.header("Cache-Control", "no-cache, no-store, must-revalidate").header("Pragma", "no-cache");
            res.text(200, "OK");
        };
        router.get("/_ping", ping).head("/_ping", ping);
        router.get("/version", (req, res) -> res.json(version(engine)));
        router.get("/info", (req, res) -> res.json(info(engine.info())));
        router.get("/system/df", (req, res) -> res.json(diskUsage(engine)));
        router.get("/plugins", (req, res) -> res.json(List.of())); // no plugin system: none installed
        // No builder, so no build cache: nothing to prune (docker system prune asks after the rest).
        router.post("/build/prune", (req, res) -> res.json(Map.of("CachesDeleted", List.of(), "SpaceReclaimed", 0)));
    }

    /** docker system df: the image, container and volume lists with their sizes. */
    static Map<String, Object> diskUsage(Engine engine) {
        DiskUsage.Report r = engine.diskUsage();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("LayersSize", r.layersSize());
        m.put("Images", r.images().stream().map(u -> {
            Map<String, Object> i = new LinkedHashMap<>(ImageRoutes.summary(u.image()));
            i.put("Containers", u.containers());
            i.put("SharedSize", u.sharedSize());
            return i;
        }).toList());
        m.put("Containers", r.containers().stream().map(u -> {
            Map<String, Object> c = new LinkedHashMap<>(ContainerJson.summary(u.container(),
                    VolumeRoutes.mounts(engine.mounts().of(u.container().id())), engine.containers().ports(u.container()),
                    engine.containers().networkSettings(u.container())));
            c.put("SizeRw", u.sizeRw());
            c.put("SizeRootFs", u.sizeRw() + engine.images().list().stream().filter(i -> i.id().equals(u.container().imageId()))
                    .mapToLong(ImageView::size).findFirst().orElse(0));
            return c;
        }).toList());
        m.put("Volumes", r.volumes().stream().map(u -> {
            Map<String, Object> v = new LinkedHashMap<>(VolumeRoutes.json(u.volume()));
            v.put("UsageData", Map.of("Size", u.usage().size(), "RefCount", u.usage().refCount()));
            return v;
        }).toList());
        m.put("BuildCache", List.of());
        return m;
    }

    static Map<String, Object> version(Engine engine) {
        SystemInfo i = engine.info();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Platform", Map.of("Name", "Berth Engine"));
        v.put("Components", List.of(Map.of("Name", "Engine", "Version", Engine.VERSION,
                "Details", Map.of("ApiVersion", API_VERSION, "MinAPIVersion", MIN_API_VERSION, "Os", "linux",
                        "Arch", arch(), "KernelVersion", i.kernelVersion()))));
        v.put("Version", Engine.VERSION);
        v.put("ApiVersion", API_VERSION);
        v.put("MinAPIVersion", MIN_API_VERSION);
        v.put("GitCommit", "");
        v.put("GoVersion", "java" + Runtime.version().feature());
        v.put("Os", "linux");
        v.put("Arch", arch());
        v.put("KernelVersion", i.kernelVersion());
        v.put("BuildTime", "");
        return v;
    }

    static Map<String, Object> info(SystemInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", i.id());
        m.put("Containers", i.containers());
        m.put("ContainersRunning", i.running());
        m.put("ContainersPaused", i.paused());
        m.put("ContainersStopped", i.stopped());
        m.put("Images", i.images());
        m.put("Driver", i.storageDriver());
        m.put("DriverStatus", List.of());
        Map<String, Object> plugins = new LinkedHashMap<>(); // docker's order, the same every time
        plugins.put("Volume", List.of("local"));
        plugins.put("Network", List.of("bridge", "host", "none"));
        plugins.put("Authorization", null);
        plugins.put("Log", List.of("json-file"));
        m.put("Plugins", plugins);
        m.put("MemoryLimit", true);
        m.put("SwapLimit", true);
        m.put("CpuCfsPeriod", true);
        m.put("CpuCfsQuota", true);
        m.put("CPUShares", true);
        m.put("CPUSet", true);
        m.put("PidsLimit", true);
        m.put("OomKillDisable", true);
        m.put("IPv4Forwarding", true);
        m.put("Debug", i.debug());
        m.put("NFd", 0);
        m.put("NGoroutines", Thread.activeCount());
        m.put("SystemTime", java.time.OffsetDateTime.now().toString());
        m.put("LoggingDriver", "json-file");
        m.put("CgroupDriver", "cgroupfs");
        m.put("CgroupVersion", i.cgroupVersion());
        m.put("KernelVersion", i.kernelVersion());
        m.put("OperatingSystem", i.operatingSystem());
        m.put("OSVersion", "");
        m.put("OSType", "linux");
        m.put("Architecture", i.architecture());
        m.put("NCPU", i.cpus());
        m.put("MemTotal", i.memTotal());
        m.put("IndexServerAddress", "https://index.docker.io/v1/");
        m.put("RegistryConfig", Map.of("IndexConfigs", Map.of(), "InsecureRegistryCIDRs", List.of("127.0.0.0/8"),
                "Mirrors", i.registryMirrors()));
        m.put("DockerRootDir", i.dataRoot());
        m.put("Name", i.hostname());
        m.put("Labels", List.of());
        m.put("ExperimentalBuild", false);
        m.put("ServerVersion", Engine.VERSION);
        m.put("Runtimes", Map.of("berth", Map.of("path", "berth-runtime")));
        m.put("DefaultRuntime", "berth");
        m.put("LiveRestoreEnabled", i.liveRestore());
        m.put("Isolation", "");
        m.put("InitBinary", "berth-shim");
        m.put("SecurityOptions", List.of("name=seccomp,profile=unconfined"));
        m.put("Warnings", List.of());
        return m;
    }

    private static String arch() {
        return "aarch64".equals(System.getProperty("os.arch")) ? "arm64" : "amd64";
    }
}
