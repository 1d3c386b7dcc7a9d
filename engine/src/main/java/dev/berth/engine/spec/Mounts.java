package dev.berth.engine.spec;

import dev.berth.engine.model.HostConfig;
import dev.berth.engine.volume.MountPoint;
import dev.berth.engine.volume.SpecMounts;
import dev.berth.oci.runtime.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's mounts: docker's standard set (proc, /dev, devpts, shm, mqueue, sysfs,
 * cgroup), then --tmpfs and the resolved -v and --mount mounts, and the generated /etc files. A user mount on
 * the same destination replaces a standard one, as in docker.
 */
final class Mounts {
    private Mounts() {}

    static List<Spec.Mount> of(HostConfig h, List<MountPoint> mounts, Path etcFiles, boolean privileged) {
        Map<String, Spec.Mount> byDest = new LinkedHashMap<>();
        long shm = h.shmSize() == null || h.shmSize() <= 0 ? DockerDefaults.SHM_SIZE : h.shmSize();
        put(byDest, mount("/proc", "proc", "proc", "nosuid", "noexec", "nodev"));
        put(byDest, mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"));
        put(byDest, mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        put(byDest, mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", privileged ? "rw" : "ro"));
        put(byDest, mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", privileged ? "rw" : "ro"));
        put(byDest, mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"));
        put(byDest, mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=" + shm));
        // --tmpfs, -v and --mount, parents before children (docker sorts them by depth).
        List<Spec.Mount> user = new ArrayList<>();
        if (h.tmpfs() != null) {
            h.tmpfs().forEach((dest, opts) -> {
                List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                if (opts != null && !opts.isEmpty()) {
                    options.addAll(List.of(opts.split(",")));
                }
                user.add(new Spec.Mount(dest, "tmpfs", "tmpfs", options, null, null));
            });
        }
        for (MountPoint m : mounts) {
            user.add(SpecMounts.of(m));
        }
        user.sort(Comparator.comparingInt(m -> depth(m.destination())));
        user.forEach(m -> put(byDest, m));
        if (etcFiles != null) {
            for (String f : List.of("resolv.conf", "hostname", "hosts")) {
                byDest.putIfAbsent("/etc/" + f, new Spec.Mount("/etc/" + f, "bind", etcFiles.resolve(f).toString(),
                        List.of("rbind", "rprivate"), null, null));
            }
        }
        return List.copyOf(byDest.values());
    }

    private static int depth(String path) {
        return (int) java.nio.file.Path.of(path).normalize().getNameCount();
    }

    private static Spec.Mount mount(String dest, String type, String source, String... options) {
        return new Spec.Mount(dest, type, source, List.of(options), null, null);
    }

    private static void put(Map<String, Spec.Mount> byDest, Spec.Mount m) {
        byDest.remove(m.destination());
        byDest.put(m.destination(), m);
    }
}
