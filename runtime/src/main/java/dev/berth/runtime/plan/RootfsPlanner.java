package dev.berth.runtime.plan;

import static dev.berth.runtime.linux.MountOptions.MS_BIND;
import static dev.berth.runtime.linux.MountOptions.MS_NODEV;
import static dev.berth.runtime.linux.MountOptions.MS_NOEXEC;
import static dev.berth.runtime.linux.MountOptions.MS_NOSUID;
import static dev.berth.runtime.linux.MountOptions.MS_PRIVATE;
import static dev.berth.runtime.linux.MountOptions.MS_RDONLY;
import static dev.berth.runtime.linux.MountOptions.MS_REC;
import static dev.berth.runtime.linux.MountOptions.MS_REMOUNT;
import static dev.berth.runtime.linux.MountOptions.MS_SLAVE;
import static dev.berth.runtime.plan.Ops.ints;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import dev.berth.runtime.linux.MountOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The filesystem part of a launch (runtime spec config.md#mounts and config-linux.md): make the
 * rootfs a mount point, mount what config.json lists beneath it, populate /dev, switch root,
 * then mask and protect paths. Mount targets before the switch are resolved beneath the rootfs
 * by the shim (openat2 RESOLVE_IN_ROOT), so an image's symlinks cannot point a mount at the host.
 */
final class RootfsPlanner {
    private static final int S_IFCHR = 0020000, S_IFBLK = 0060000, S_IFIFO = 0010000;

    /** runc's default devices (libcontainer/specconv AllowedDevices), created in every /dev tmpfs. */
    private static final List<Spec.Device> DEFAULT_DEVICES = List.of(
            new Spec.Device("c", "/dev/null", 1L, 3L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/zero", 1L, 5L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/full", 1L, 7L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/random", 1L, 8L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/urandom", 1L, 9L, 0666, 0L, 0L),
            new Spec.Device("c", "/dev/tty", 5L, 0L, 0666, 0L, 0L));

    private static final Map<String, String> DEV_SYMLINKS = Map.of(
            "/dev/fd", "/proc/self/fd", "/dev/stdin", "/proc/self/fd/0",
            "/dev/stdout", "/proc/self/fd/1", "/dev/stderr", "/proc/self/fd/2");

    private final Spec spec;
    private final Path bundle;
    private final Path rootfs;
    private final HostInfo host;
    private final boolean userNamespace;
    private final List<Path> cgroupDirs;
    private final boolean cgroupNamespace;

    /**
     * @param cgroupDirs      the container's own cgroup directory in each v1 hierarchy (host paths)
     * @param cgroupNamespace whether the container has a cgroup namespace of its own
     */
    RootfsPlanner(Spec spec, Path bundle, Path rootfs, HostInfo host, boolean userNamespace, List<Path> cgroupDirs,
                  boolean cgroupNamespace) {
        this.spec = spec;
        this.bundle = bundle;
        this.rootfs = rootfs;
        this.host = host;
        this.userNamespace = userNamespace;
        this.cgroupDirs = cgroupDirs;
        this.cgroupNamespace = cgroupNamespace;
    }

    /** Everything before the root switch: propagation, the rootfs bind, config mounts, /dev. */
    Ops beforeSwitch() {
        Ops ops = new Ops();
        // Keep our mounts from propagating back to the host (runc's default is rslave).
        long rootPropagation = propagationOf(spec.linux() == null ? null : spec.linux().rootfsPropagation());
        ops.add(OpCode.MOUNT, "/", "linux.rootfsPropagation", ints(MS_REC | (rootPropagation == 0 ? MS_SLAVE : rootPropagation), 0, 0, 0), "", "/", "", "");
        ops.add(OpCode.MOUNT, rootfs.toString(), "root.path", ints(MS_BIND | MS_REC, 0, 0, 0), rootfs.toString(), rootfs.toString(), "", "");
        ops.add(OpCode.ROOT, rootfs.toString(), "root.path", ints(), rootfs.toString());
        List<Spec.Mount> mounts = spec.mounts() == null ? List.of() : spec.mounts();
        boolean devIsTmpfs = false, hasPts = false;
        for (int i = 0; i < mounts.size(); i++) {
            Spec.Mount m = mounts.get(i);
            String field = "mounts[" + i + "]";
            String dest = destination(m, field);
            if (dest.equals("/dev") && !MountOptions.parse(m.options(), m.type(), field).bind()) {
                devIsTmpfs = true;
            }
            hasPts |= dest.equals("/dev/pts");
            mount(ops, m, dest, field);
        }
        if (devIsTmpfs) {
            devices(ops);
            DEV_SYMLINKS.forEach((link, target) -> ops.add(OpCode.SYMLINK, link, null, ints(), target, link));
            if (Files.exists(Path.of("/proc/kcore"))) {
                ops.add(OpCode.SYMLINK, "/dev/core", null, ints(), "/proc/kcore", "/dev/core");
            }
            if (hasPts) {
                ops.add(OpCode.SYMLINK, "/dev/ptmx", null, ints(), "pts/ptmx", "/dev/ptmx");
            }
        }
        return ops;
    }

    Ops switchRoot(boolean noPivot) {
        return new Ops().add(noPivot ? OpCode.MOVE_ROOT : OpCode.PIVOT_ROOT, rootfs.toString(), "root.path", ints(), rootfs.toString());
    }

    /** After the switch: masked and read-only paths, then a read-only root. */
    Ops afterSwitch() {
        Ops ops = new Ops();
        Spec.Linux linux = spec.linux();
        if (linux != null && linux.maskedPaths() != null) {
            for (int i = 0; i < linux.maskedPaths().size(); i++) {
                String p = linux.maskedPaths().get(i);
                String field = "linux.maskedPaths[" + i + "]";
                // As runc masks: an empty read-only tmpfs over a directory, /dev/null over anything
                // else; a path that is not there is left alone (the mount's ENOENT is forgiven).
                if (isDirectoryInContainer(p)) {
                    ops.add(OpCode.MOUNT, p, field, ints(MS_RDONLY, 0, 1, 0), "tmpfs", p, "tmpfs", "");
                } else {
                    ops.add(OpCode.MOUNT, p, field, ints(MS_BIND, 0, 1, 0), "/dev/null", p, "", "");
                }
            }
        }
        if (linux != null && linux.readonlyPaths() != null) {
            for (int i = 0; i < linux.readonlyPaths().size(); i++) {
                String p = linux.readonlyPaths().get(i);
                String field = "linux.readonlyPaths[" + i + "]";
                ops.add(OpCode.MOUNT, p, field, ints(MS_BIND | MS_REC, 0, 1, 0), p, p, "", "");
                ops.add(OpCode.MOUNT, p, field, ints(MS_BIND | MS_REMOUNT | MS_RDONLY, 0, 1, 1), "", p, "", "");
            }
        }
        if (spec.root() != null && Boolean.TRUE.equals(spec.root().readonly())) {
            ops.add(OpCode.MOUNT, "/", "root.readonly", ints(MS_BIND | MS_REMOUNT | MS_RDONLY, 0, 0, 1), "", "/", "", "");
        }
        return ops;
    }

    private void mount(Ops ops, Spec.Mount m, String dest, String field) {
        MountOptions o = MountOptions.parse(m.options(), m.type(), field);
        if (o.bind()) {
            Path source = source(m, field);
            ops.add(OpCode.MKDIRS, dest, field, ints(0755, Files.isDirectory(source) ? 0 : 1), dest);
            ops.add(OpCode.MOUNT, dest, field, ints(MS_BIND | (o.recursive() ? MS_REC : 0), 1, 0, 0), source.toString(), dest, "", "");
            long remount = o.flags() & ~MS_REMOUNT;
            if (remount != 0) {
                ops.add(OpCode.MOUNT, dest, field, ints(MS_BIND | MS_REMOUNT | remount, 1, 0, 1), "", dest, "", "");
            }
        } else if ("cgroup".equals(m.type())) {
            cgroupMount(ops, dest, o, field);
        } else {
            if (m.type() == null || m.type().isEmpty()) {
                throw new SpecException(field + ": mount of " + dest + " has no type");
            }
            String source = m.source() == null ? m.type() : m.source();
            ops.add(OpCode.MKDIRS, dest, field, ints(0755, 0), dest);
            ops.add(OpCode.MOUNT, dest, field, ints(o.flags(), 1, 0, 0), source, dest, m.type(), o.data());
        }
        if (o.propagation() != 0) {
            ops.add(OpCode.MOUNT, dest, field, ints(o.propagation(), 1, 0, 0), "", dest, "", "");
        }
    }

    /**
     * A "cgroup" mount. On cgroup v2 it is the cgroup2 filesystem; on v1 and hybrid hosts a tmpfs
     * holding one cgroup mount per hierarchy, as runc and docker lay out /sys/fs/cgroup. With a
     * cgroup namespace each mount shows the container's own cgroup as its root.
     */
    private void cgroupMount(Ops ops, String dest, MountOptions o, String field) {
        ops.add(OpCode.MKDIRS, dest, field, ints(0755, 0), dest);
        if (host.cgroupV1Hierarchies().isEmpty()) {
            ops.add(OpCode.MOUNT, dest, field, ints(o.flags(), 1, 0, 0), "cgroup", dest, "cgroup2", "");
            return;
        }
        ops.add(OpCode.MOUNT, dest, field, ints(MS_NOSUID | MS_NODEV | MS_NOEXEC, 1, 0, 0), "tmpfs", dest, "tmpfs", "mode=755");
        for (String hierarchy : host.cgroupV1Hierarchies()) {
            String name = hierarchy.replace("name=", "");
            String dir = dest + "/" + name;
            ops.add(OpCode.MKDIRS, dir, field, ints(0755, 0), dir);
            Path own = cgroupNamespace ? null : ownCgroupDir(name);
            if (own != null) {
                // Without a cgroup namespace a cgroup mount would show the host's whole tree;
                // runc binds the container's own directory instead, so that memory.limit_in_bytes
                // at the top is the container's limit.
                ops.add(OpCode.MOUNT, dir, field, ints(MS_BIND, 1, 0, 0), own.toString(), dir, "", "");
                ops.add(OpCode.MOUNT, dir, field, ints(MS_BIND | MS_REMOUNT | (o.flags() & MS_RDONLY) | MS_NOSUID | MS_NODEV | MS_NOEXEC,
                        1, 0, 1), "", dir, "", "");
            } else {
                ops.add(OpCode.MOUNT, dir, field, ints(o.flags() | MS_NOSUID | MS_NODEV | MS_NOEXEC, 1, 0, 0), "cgroup", dir, "cgroup", hierarchy);
            }
        }
        if ((o.flags() & MS_RDONLY) != 0) {
            ops.add(OpCode.MOUNT, dest, field, ints(MS_BIND | MS_REMOUNT | MS_RDONLY, 1, 0, 1), "", dest, "", "");
        }
    }

    /**
     * Whether {@code path} will be a directory in the container: under /proc and /sys it is the
     * kernel's, the same as the host's (the container mounts its own proc and sysfs of this
     * kernel); anywhere else it is the rootfs's, not followed through a symlink.
     */
    private boolean isDirectoryInContainer(String path) {
        Path where = path.startsWith("/proc/") || path.startsWith("/sys/") ? Path.of(path)
                : rootfs.resolve(path.replaceFirst("^/+", ""));
        return java.nio.file.Files.isDirectory(where, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** The container's directory in the hierarchy mounted as {@code name} ("memory", "cpu,cpuacct"), or null. */
    private Path ownCgroupDir(String name) {
        for (Path d : cgroupDirs) {
            for (Path segment : d) {
                if (segment.toString().equals(name)) {
                    return d;
                }
            }
        }
        return null;
    }

    private void devices(Ops ops) {
        List<Spec.Device> devices = new java.util.ArrayList<>(DEFAULT_DEVICES);
        Spec.Linux linux = spec.linux();
        int first = devices.size();
        if (linux != null && linux.devices() != null) {
            devices.addAll(linux.devices());
        }
        for (int i = 0; i < devices.size(); i++) {
            Spec.Device d = devices.get(i);
            String field = i < first ? null : "linux.devices[" + (i - first) + "]";
            if (d.path() == null || !d.path().startsWith("/dev/")) {
                throw new SpecException(field + ": device path must be under /dev, got " + d.path());
            }
            String dir = Path.of(d.path()).getParent().toString();
            ops.add(OpCode.MKDIRS, dir, field, ints(0755, 0), dir);
            if (userNamespace) {
                // mknod is refused in a user namespace: bind the host's node instead (as runc).
                ops.add(OpCode.MKDIRS, d.path(), field, ints(0755, 1), d.path());
                ops.add(OpCode.MOUNT, d.path(), field, ints(MS_BIND, 1, 0, 0), d.path(), d.path(), "", "");
            } else {
                int mode = (d.fileMode() == null ? 0666 : d.fileMode()) | switch (d.type() == null ? "" : d.type()) {
                    case "c", "u" -> S_IFCHR;
                    case "b" -> S_IFBLK;
                    case "p" -> S_IFIFO;
                    default -> throw new SpecException(field + ": unknown device type \"" + d.type() + "\"");
                };
                ops.add(OpCode.MKNOD, d.path(), field, ints(mode, nz(d.major()), nz(d.minor()), nz(d.uid()), nz(d.gid())), d.path());
            }
        }
    }

    private Path source(Spec.Mount m, String field) {
        if (m.source() == null || m.source().isEmpty()) {
            throw new SpecException(field + ": bind mount has no source");
        }
        Path source = bundle.resolve(m.source()).normalize();
        if (!Files.exists(source)) {
            throw new SpecException(field + ": bind mount source " + source + " does not exist");
        }
        return source;
    }

    private static String destination(Spec.Mount m, String field) {
        if (m.destination() == null || m.destination().isEmpty()) {
            throw new SpecException(field + ": mount has no destination");
        }
        String d = Path.of("/").resolve(m.destination()).normalize().toString();
        if (d.equals("/")) {
            throw new SpecException(field + ": cannot mount over the root; use root.path");
        }
        return d;
    }

    private static long propagationOf(String name) {
        if (name == null || name.isEmpty()) {
            return 0;
        }
        return switch (name) {
            case "private" -> MS_PRIVATE;
            case "rprivate" -> MS_PRIVATE | MS_REC;
            case "slave" -> MS_SLAVE;
            case "rslave" -> MS_SLAVE | MS_REC;
            case "shared" -> MountOptions.MS_SHARED;
            case "rshared" -> MountOptions.MS_SHARED | MS_REC;
            case "unbindable" -> MountOptions.MS_UNBINDABLE;
            case "runbindable" -> MountOptions.MS_UNBINDABLE | MS_REC;
            default -> throw new SpecException("linux.rootfsPropagation: unknown propagation \"" + name + "\"");
        };
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }
}
