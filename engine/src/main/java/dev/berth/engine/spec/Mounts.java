package dev.berth.engine.spec;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's mounts: docker's standard set (proc, /dev, devpts, shm, mqueue, sysfs,
 * cgroup), then --tmpfs, -v binds and --mount, and the generated /etc files. A user mount on
 * the same destination replaces a standard one, as in docker.
 */
final class Mounts {
    private Mounts() {}

    static List<Spec.Mount> of(HostConfig h, Path etcFiles, boolean privileged) {
        Map<String, Spec.Mount> byDest = new LinkedHashMap<>();
        long shm = h.shmSize() == null || h.shmSize() <= 0 ? DockerDefaults.SHM_SIZE : h.shmSize();
        put(byDest, mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"));
        put(byDest, mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
        put(byDest, mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        put(byDest, mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", privileged ? "rw" : "ro"));
        put(byDest, mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"));
        put(byDest, mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"));
        put(byDest, mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=" + shm));
        if (h.tmpfs() != null) {
            h.tmpfs().forEach((dest, opts) -> {
                List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                if (opts != null && !opts.isEmpty()) {
                    options.addAll(List.of(opts.split(",")));
                }
                put(byDest, new Spec.Mount(dest, "tmpfs", "tmpfs", options, null, null));
            });
        }
        if (h.binds() != null) {
            for (String bind : h.binds()) {
                put(byDest, bind(bind));
            }
        }
        if (h.mounts() != null) {
            for (HostConfig.Mount m : h.mounts()) {
                put(byDest, mount(m));
            }
        }
        if (etcFiles != null) {
            for (String f : List.of("resolv.conf", "hostname", "hosts")) {
                byDest.putIfAbsent("/etc/" + f, new Spec.Mount("/etc/" + f, "bind", etcFiles.resolve(f).toString(),
                        List.of("rbind", "rprivate"), null, null));
            }
        }
        return List.copyOf(byDest.values());
    }

    /** -v source:dest[:options]; a source that is not a path is a named volume (not yet supported). */
    static Spec.Mount bind(String spec) {
        String[] parts = spec.split(":");
        if (parts.length < 2 || parts.length > 3 || parts[1].isEmpty() || !parts[1].startsWith("/")) {
            throw new EngineException(400, "invalid volume specification: '" + spec + "'");
        }
        if (!parts[0].startsWith("/")) {
            throw new EngineException(400, "named volumes are not supported yet: '" + spec + "'");
        }
        List<String> options = new ArrayList<>(List.of("rbind"));
        if (parts.length == 3) {
            for (String o : parts[2].split(",")) {
                switch (o) {
                    case "ro", "rw", "private", "rprivate", "shared", "rshared", "slave", "rslave" -> options.add(o);
                    case "z", "Z" -> { } // SELinux relabelling: nothing to do without SELinux
                    default -> throw new EngineException(400, "invalid mode: " + o);
                }
            }
        }
        return new Spec.Mount(parts[1], "bind", parts[0], options, null, null);
    }

    static Spec.Mount mount(HostConfig.Mount m) {
        if (m.target() == null || !m.target().startsWith("/")) {
            throw new EngineException(400, "invalid mount config: mount path must be absolute");
        }
        return switch (m.type() == null ? "volume" : m.type()) {
            case "bind" -> new Spec.Mount(m.target(), "bind", m.source(),
                    Boolean.TRUE.equals(m.readOnly()) ? List.of("rbind", "ro") : List.of("rbind"), null, null);
            case "tmpfs" -> {
                List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                if (m.tmpfsOptions() != null && m.tmpfsOptions().sizeBytes() != null) {
                    options.add("size=" + m.tmpfsOptions().sizeBytes());
                }
                if (m.tmpfsOptions() != null && m.tmpfsOptions().mode() != null) {
                    options.add("mode=" + Integer.toOctalString(m.tmpfsOptions().mode()));
                }
                yield new Spec.Mount(m.target(), "tmpfs", "tmpfs", options, null, null);
            }
            default -> throw new EngineException(400, "mount type \"" + m.type() + "\" is not supported yet");
        };
    }

    private static Spec.Mount mount(String dest, String type, String source, String... options) {
        return new Spec.Mount(dest, type, source, List.of(options), null, null);
    }

    private static void put(Map<String, Spec.Mount> byDest, Spec.Mount m) {
        byDest.remove(m.destination());
        byDest.put(m.destination(), m);
    }
}
