package dev.berth.engine.spec;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.volume.MountSpecs;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.runtime.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A docker container (image config + Config + HostConfig) as an OCI runtime config.json, with
 * docker's defaults and precedence rules. Pure: tests read the result without running it.
 */
public final class SpecGenerator {
    private SpecGenerator() {}

    public static Spec generate(SpecRequest r) {
        ContainerConfig c = r.config();
        HostConfig h = r.host() == null ? empty() : r.host();
        ImageConfig.Config img = r.image() == null || r.image().config() == null ? null : r.image().config();
        boolean privileged = Boolean.TRUE.equals(h.privileged());
        ContainerUser user = ContainerUser.resolve(first(c.user(), img == null ? null : img.user()), h.groupAdd(), r.rootfs());
        String hostname = c.hostname() == null || c.hostname().isEmpty() ? r.id().substring(0, Math.min(12, r.id().length())) : c.hostname();

        Spec.Capabilities caps = capabilities(h, privileged, r.daemonCaps());
        Spec.Process process = new Spec.Process(Boolean.TRUE.equals(c.tty()), consoleSize(c, h),
                new Spec.User(user.uid(), user.gid(), null, user.additionalGids(), null), args(c, img), null,
                env(c, img, hostname), first(c.workingDir(), img == null ? null : img.workingDir(), "/"),
                caps, rlimits(h), SecurityOpts.noNewPrivileges(h.securityOpt()),
                null, h.oomScoreAdj(), null, null, null);
        Spec.Linux linux = new Spec.Linux(namespaces(h, r.cgroupV2()), null, null, null, devices(h),
                r.cgroupsPath(), Resources.of(h, privileged), "rprivate",
                privileged ? null : SecurityOpts.seccomp(h.securityOpt(), caps.bounding()),
                h.sysctls(), privileged ? null : DockerDefaults.MASKED_PATHS, privileged ? null : DockerDefaults.READONLY_PATHS,
                null, null);
        return new Spec("1.2.0", process, new Spec.Root(r.rootfs().toString(), Boolean.TRUE.equals(h.readonlyRootfs())),
                hostname, c.domainname(), Mounts.of(h, r.mounts() != null ? r.mounts() : MountSpecs.of(h, List.of(), List.of()), r.etcFiles(), privileged), null,
                annotations(c, h), linux);
    }

    /**
     * docker's rule: an Entrypoint given at create replaces the image's and drops its Cmd;
     * otherwise the image's Entrypoint stays and Cmd comes from create or the image.
     */
    static List<String> args(ContainerConfig c, ImageConfig.Config img) {
        List<String> entrypoint;
        List<String> cmd;
        if (c.entrypoint() != null) {
            entrypoint = c.entrypoint();
            cmd = c.cmd() == null ? List.of() : c.cmd();
        } else {
            entrypoint = img == null || img.entrypoint() == null ? List.of() : img.entrypoint();
            cmd = c.cmd() != null ? c.cmd() : img == null || img.cmd() == null ? List.of() : img.cmd();
        }
        List<String> args = new ArrayList<>(entrypoint);
        args.addAll(cmd);
        if (args.isEmpty()) {
            throw new EngineException(400, "no command specified");
        }
        return args;
    }

    /** The image's env, then create's (later keys win), with PATH, HOSTNAME and TERM as docker adds them. */
    static List<String> env(ContainerConfig c, ImageConfig.Config img, String hostname) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DockerDefaults.PATH);
        env.put("HOSTNAME", "HOSTNAME=" + hostname);
        for (List<String> source : new ArrayList<>(java.util.Arrays.asList(img == null ? null : img.env(), c.env()))) {
            if (source != null) {
                for (String e : source) {
                    int eq = e.indexOf('=');
                    env.put(eq < 0 ? e : e.substring(0, eq), e);
                }
            }
        }
        if (Boolean.TRUE.equals(c.tty())) {
            env.putIfAbsent("TERM", "TERM=xterm");
        }
        return List.copyOf(env.values());
    }

    /** Where docker puts its init in the container (docker run --init), and so do we. */
    public static final String INIT_PATH = "/sbin/docker-init";

    /**
     * docker run --init: a minimal init as PID 1 that reaps orphans and passes signals on. Ours
     * is the shim binary in its init mode, bind-mounted read-only at docker's path, with the
     * container's command after "--".
     */
    public static Spec withInit(Spec spec, Path init) {
        List<String> args = new ArrayList<>(List.of(INIT_PATH, "--"));
        args.addAll(spec.process().args());
        Spec.Process p = spec.process();
        Spec.Process process = new Spec.Process(p.terminal(), p.consoleSize(), p.user(), args, p.commandLine(), p.env(), p.cwd(),
                p.capabilities(), p.rlimits(), p.noNewPrivileges(), p.apparmorProfile(), p.oomScoreAdj(), p.selinuxLabel(),
                p.ioPriority(), p.scheduler());
        List<Spec.Mount> mounts = new ArrayList<>(spec.mounts() == null ? List.of() : spec.mounts());
        mounts.add(new Spec.Mount(INIT_PATH, "bind", init.toAbsolutePath().toString(), List.of("rbind", "ro", "nosuid", "nodev"), null, null));
        return new Spec(spec.ociVersion(), process, spec.root(), spec.hostname(), spec.domainname(), mounts, spec.hooks(),
                spec.annotations(), spec.linux());
    }

    /** {@code spec} joining the network namespace at {@code path} (docker's --network container:x). */
    public static Spec withNetworkNamespace(Spec spec, String path) {
        Spec.Linux l = spec.linux();
        List<Spec.Namespace> ns = new ArrayList<>();
        for (Spec.Namespace n : l.namespaces()) {
            ns.add(n.type().equals("network") ? new Spec.Namespace("network", path) : n);
        }
        Spec.Linux linux = new Spec.Linux(ns, l.uidMappings(), l.gidMappings(), l.timeOffsets(), l.devices(),
                l.cgroupsPath(), l.resources(), l.rootfsPropagation(), l.seccomp(),
                l.sysctl(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel(), l.personality());
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.domainname(), spec.mounts(),
                spec.hooks(), spec.annotations(), linux);
    }

    /** The resource limits docker update applies to a running container (device rules stay as they are). */
    public static Spec.Resources resourceLimits(HostConfig h) {
        return Resources.limits(h);
    }

    /** {@code spec} with the resources of {@code h}, as the container's next start should have them. */
    public static Spec withResourceLimits(Spec spec, HostConfig h) {
        Spec.Linux l = spec.linux();
        Spec.Linux linux = new Spec.Linux(l.namespaces(), l.uidMappings(), l.gidMappings(), l.timeOffsets(), l.devices(),
                l.cgroupsPath(), Resources.of(h, Boolean.TRUE.equals(h.privileged())), l.rootfsPropagation(), l.seccomp(),
                l.sysctl(), l.maskedPaths(), l.readonlyPaths(), l.mountLabel(), l.personality());
        return new Spec(spec.ociVersion(), spec.process(), spec.root(), spec.hostname(), spec.domainname(), spec.mounts(),
                spec.hooks(), spec.annotations(), linux);
    }

    static Spec.Capabilities capabilities(HostConfig h, boolean privileged, List<String> daemonCaps) {
        Set<String> caps = new LinkedHashSet<>(privileged ? daemonCaps : DockerDefaults.CAPABILITIES);
        if (!privileged) {
            List<String> add = h.capAdd() == null ? List.of() : h.capAdd();
            List<String> drop = h.capDrop() == null ? List.of() : h.capDrop();
            if (add.stream().anyMatch(a -> a.equalsIgnoreCase("ALL"))) {
                caps.addAll(daemonCaps);
            } else {
                add.forEach(a -> caps.add(canonical(a)));
            }
            if (drop.stream().anyMatch(d -> d.equalsIgnoreCase("ALL"))) {
                caps.clear();
                add.stream().filter(a -> !a.equalsIgnoreCase("ALL")).forEach(a -> caps.add(canonical(a)));
            } else {
                drop.forEach(d -> caps.remove(canonical(d)));
            }
        }
        List<String> list = List.copyOf(caps);
        return new Spec.Capabilities(list, list, null, list, null);
    }

    private static String canonical(String cap) {
        String upper = cap.toUpperCase();
        return upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    }

    static List<Spec.Namespace> namespaces(HostConfig h, boolean cgroupV2) {
        List<Spec.Namespace> ns = new ArrayList<>();
        ns.add(new Spec.Namespace("mount", null));
        if (!"host".equals(h.pidMode())) {
            ns.add(new Spec.Namespace("pid", null));
        }
        if (!"host".equals(h.ipcMode())) {
            ns.add(new Spec.Namespace("ipc", null));
        }
        if (!"host".equals(h.utsMode())) {
            ns.add(new Spec.Namespace("uts", null));
        }
        // host: the host's stack. container:<x>: x's netns, whose path (/proc/<pid>/ns/net of x's
        // running init) the engine sets at each start (withNetworkNamespace). Otherwise a new one,
        // which the engine connects to networks between create and start ("none": only lo).
        if (!"host".equals(h.networkMode())) {
            ns.add(new Spec.Namespace("network", null));
        }
        // --cgroupns host|private; docker's default: private on cgroup v2, the host's on v1.
        String cgroupns = h.cgroupnsMode() == null ? "" : h.cgroupnsMode();
        if (cgroupns.equals("private") || (cgroupns.isEmpty() && cgroupV2)) {
            ns.add(new Spec.Namespace("cgroup", null));
        }
        return ns;
    }

    /** The OCI annotations: the container's labels, and --annotation's pairs over them. */
    static Map<String, String> annotations(ContainerConfig c, HostConfig h) {
        if (c.labels() == null && h.annotations() == null) {
            return null;
        }
        Map<String, String> all = new java.util.TreeMap<>();
        if (c.labels() != null) {
            all.putAll(c.labels());
        }
        if (h.annotations() != null) {
            all.putAll(h.annotations());
        }
        return Map.copyOf(all);
    }

    static List<Spec.Rlimit> rlimits(HostConfig h) {
        if (h.ulimits() == null) {
            return null;
        }
        return h.ulimits().stream()
                .map(u -> new Spec.Rlimit("RLIMIT_" + u.name().toUpperCase(), u.hard(), u.soft())).toList();
    }

    static List<Spec.Device> devices(HostConfig h) {
        if (h.devices() == null) {
            return null;
        }
        return h.devices().stream().map(DeviceNodes::describe).toList();
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /**
     * The terminal's size at start: HostConfig.ConsoleSize [height, width], which the docker CLI
     * sends at create (API 1.42+) so that the first prompt is drawn at the right width; later
     * changes come as resize calls.
     */
    private static Spec.Box consoleSize(ContainerConfig c, HostConfig h) {
        List<Integer> size = h.consoleSize();
        if (!Boolean.TRUE.equals(c.tty()) || size == null || size.size() != 2 || size.get(0) <= 0 || size.get(1) <= 0) {
            return null;
        }
        return new Spec.Box(size.get(0), size.get(1));
    }

    /** A HostConfig with nothing set (bound from "{}", so it stays right as fields are added). */
    private static HostConfig empty() {
        return dev.berth.oci.runtime.Json.parse("{}", HostConfig.class);
    }
}
