package dev.berth.runtime.plan;

import static dev.berth.runtime.plan.Ops.ints;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.SpecException;
import dev.berth.runtime.linux.NamespaceType;
import dev.berth.runtime.seccomp.SeccompProgram;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * config.json + launch options -> the launch plan of a new container. The plan is plain data:
 * tests read it without running anything.
 */
public final class PlanBuilder {
    private final Spec spec;
    private final Path bundle;
    private final HostInfo host;

    public PlanBuilder(Spec spec, Path bundle, HostInfo host) {
        this.spec = spec;
        this.bundle = bundle;
        this.host = host;
    }

    public LaunchPlan build(LaunchOptions o) {
        Spec.Linux linux = spec.linux();
        if (linux == null) {
            throw new SpecException("linux: missing (only Linux containers are supported)");
        }
        Map<NamespaceType, String> namespaces = namespaces(linux);
        if (!namespaces.containsKey(NamespaceType.MOUNT) || namespaces.get(NamespaceType.MOUNT) != null) {
            throw new SpecException("linux.namespaces: a new mount namespace is required");
        }
        boolean newUser = namespaces.containsKey(NamespaceType.USER) && namespaces.get(NamespaceType.USER) == null;
        Path rootfs = rootfs();
        var rootfsPlanner = new RootfsPlanner(spec, bundle, rootfs, host, namespaces.containsKey(NamespaceType.USER),
                o.cgroupProcs().stream().map(Path::getParent).toList(), namespaces.containsKey(NamespaceType.CGROUP));
        var processPlanner = new ProcessPlanner(spec.process(), linux, host.lastCap());
        SeccompProgram seccomp = ProcessPlanner.compileSeccomp(linux);

        Ops ops = new Ops();
        ops.addAll(MonitorPlanner.ops(o, Boolean.TRUE.equals(spec.process().terminal())));
        long cloneFlags = 0;
        for (var e : namespaces.entrySet()) {
            NamespaceType type = e.getKey();
            if (e.getValue() != null) {
                ops.add(OpCode.SETNS, type.specName + " namespace " + e.getValue(), "linux.namespaces", ints(type.cloneFlag), e.getValue());
            } else if (type != NamespaceType.CGROUP && type != NamespaceType.TIME) {
                cloneFlags |= type.cloneFlag;
            }
        }
        ops.add(OpCode.CLONE, "namespaces", "linux.namespaces", ints(cloneFlags));
        if (newUser) {
            ops.add(OpCode.WRITE_PROC, "uid_map", "linux.uidMappings", ints(), "uid_map", idMap(linux.uidMappings(), "linux.uidMappings"));
            ops.add(OpCode.WRITE_PROC, "gid_map", "linux.gidMappings", ints(), "gid_map", idMap(linux.gidMappings(), "linux.gidMappings"));
        } else if (linux.uidMappings() != null && !linux.uidMappings().isEmpty()) {
            throw new SpecException("linux.uidMappings: given without a new user namespace");
        }
        for (Path procs : o.cgroupProcs()) {
            ops.add(OpCode.WRITE_PID, procs.toString(), "linux.cgroupsPath", ints(), procs.toString());
        }
        // Device nodes and mount points get exactly the modes planned; the process's own umask
        // is set at the end (process.user.umask).
        ops.add(OpCode.UMASK, "umask", null, ints(0));
        if (newUser) {
            // Become root of the new namespace: files we create must belong to a mapped id.
            ops.add(OpCode.SETRESGID, "gid 0", "linux.gidMappings", ints(0));
            ops.add(OpCode.SETRESUID, "uid 0", "linux.uidMappings", ints(0));
        }
        // Unshared only now, after the shim has put us in our cgroup, so that it becomes the
        // namespace's root (cgroup_namespaces(7)).
        if (namespaces.containsKey(NamespaceType.CGROUP) && namespaces.get(NamespaceType.CGROUP) == null) {
            ops.add(OpCode.UNSHARE, "cgroup namespace", "linux.namespaces", ints(NamespaceType.CGROUP.cloneFlag));
        }
        if (namespaces.containsKey(NamespaceType.TIME) && namespaces.get(NamespaceType.TIME) == null) {
            // A new time namespace takes effect at execve; offsets must be set before anything enters it.
            ops.add(OpCode.UNSHARE, "time namespace", "linux.namespaces", ints(NamespaceType.TIME.cloneFlag));
            ops.add(OpCode.WRITE_FILE, "/proc/self/timens_offsets", "linux.timeOffsets", ints(0),
                    "/proc/self/timens_offsets", timeOffsets(linux));
        } else if (linux.timeOffsets() != null && !linux.timeOffsets().isEmpty()) {
            throw new SpecException("linux.timeOffsets: given without a new time namespace");
        }
        ops.addAll(rootfsPlanner.beforeSwitch());
        if (o.hookPoint()) {
            ops.add(OpCode.HOOK_POINT, "createRuntime hooks", "hooks", ints());
        }
        ops.addAll(rootfsPlanner.switchRoot(o.noPivot()));
        ops.addAll(processPlanner.limits());
        names(ops, namespaces);
        ops.addAll(rootfsPlanner.afterSwitch());
        ops.addAll(processPlanner.console());
        ops.add(OpCode.CLOSE_FROM, "inherited fds", null, ints(3 + o.preserveFds()));
        ops.addAll(processPlanner.identity(seccomp));
        Ops beforeExec = new Ops();
        if (o.execFifo() != null) {
            beforeExec.add(OpCode.WAIT_START, "start", null, ints());
        }
        ops.addAll(processPlanner.exec(seccomp, beforeExec));
        return new LaunchPlan(List.copyOf(ops.list()));
    }

    private void names(Ops ops, Map<NamespaceType, String> namespaces) {
        boolean ownUts = namespaces.containsKey(NamespaceType.UTS) && namespaces.get(NamespaceType.UTS) == null;
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            if (!ownUts) {
                throw new SpecException("hostname: cannot set a hostname without a new uts namespace");
            }
            ops.add(OpCode.SETHOSTNAME, spec.hostname(), "hostname", ints(), spec.hostname());
        }
        if (spec.domainname() != null && !spec.domainname().isEmpty()) {
            if (!ownUts) {
                throw new SpecException("domainname: cannot set a domainname without a new uts namespace");
            }
            ops.add(OpCode.SETDOMAINNAME, spec.domainname(), "domainname", ints(), spec.domainname());
        }
    }

    private Path rootfs() {
        if (spec.root() == null || spec.root().path() == null || spec.root().path().isEmpty()) {
            throw new SpecException("root.path: missing");
        }
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!java.nio.file.Files.isDirectory(rootfs)) {
            throw new SpecException("root.path: rootfs " + rootfs + " does not exist or is not a directory");
        }
        return rootfs;
    }

    static Map<NamespaceType, String> namespaces(Spec.Linux linux) {
        Map<NamespaceType, String> out = new EnumMap<>(NamespaceType.class);
        List<Spec.Namespace> list = linux.namespaces() == null ? List.of() : linux.namespaces();
        for (int i = 0; i < list.size(); i++) {
            String field = "linux.namespaces[" + i + "]";
            NamespaceType type = NamespaceType.of(list.get(i).type(), field + ".type");
            if (out.containsKey(type)) {
                throw new SpecException(field + ": namespace type \"" + type.specName + "\" listed twice");
            }
            String path = list.get(i).path();
            if (path != null && !path.isEmpty() && !java.nio.file.Files.exists(Path.of(path))) {
                throw new SpecException(field + ".path: " + path + " does not exist");
            }
            out.put(type, path == null || path.isEmpty() ? null : path);
        }
        return out;
    }

    private static String idMap(List<Spec.IdMapping> mappings, String field) {
        if (mappings == null || mappings.isEmpty()) {
            throw new SpecException(field + ": a new user namespace needs at least one mapping");
        }
        for (int i = 0; i < mappings.size(); i++) {
            Spec.IdMapping m = mappings.get(i);
            if (m.containerID() == null || m.hostID() == null || m.size() == null || m.size() <= 0) {
                throw new SpecException(field + "[" + i + "]: containerID, hostID and a positive size are required");
            }
        }
        return mappings.stream().map(m -> m.containerID() + " " + m.hostID() + " " + m.size())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String timeOffsets(Spec.Linux linux) {
        if (linux.timeOffsets() == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        linux.timeOffsets().forEach((clock, offset) -> {
            if (!clock.equals("monotonic") && !clock.equals("boottime")) {
                throw new SpecException("linux.timeOffsets: unknown clock \"" + clock + "\" (monotonic or boottime)");
            }
            sb.append(clock).append(' ').append(offset.secs() == null ? 0 : offset.secs()).append(' ')
                    .append(offset.nanosecs() == null ? 0 : offset.nanosecs()).append('\n');
        });
        return sb.toString();
    }
}
