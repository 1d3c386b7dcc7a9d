package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Cgroups turned off, or no cgroup filesystem on the host: nothing is created or removed, no
 * process is placed anywhere, and any resource limit is refused rather than ignored, because a
 * container started without the limits its config asks for is a container the user did not ask
 * for.
 */
public final class NoCgroups implements CgroupManager {
    private final String path;

    NoCgroups(String path) {
        this.path = path;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void create() {}

    @Override
    public void apply(Spec.Resources r) {
        if (r == null) {
            return;
        }
        for (Controller c : Controller.ALL) {
            if (c.requested(r)) {
                throw notSupported(c.field());
            }
        }
        if (r.unified() != null && !r.unified().isEmpty()) {
            throw notSupported(Unified.FIELD);
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            throw notSupported("linux.resources.rdma");
        }
    }

    private static CgroupException notSupported(String field) {
        return new CgroupException(field, "not supported: cgroups are disabled (or no cgroup filesystem is mounted)");
    }

    @Override
    public List<Path> procsFiles() {
        return List.of();
    }

    @Override
    public List<Integer> pids() {
        return List.of();
    }

    @Override
    public void freeze() {
        throw notSupported(Freezer.FIELD);
    }

    @Override
    public void thaw() {
        throw notSupported(Freezer.FIELD);
    }

    @Override
    public boolean frozen() {
        return false;
    }

    @Override
    public CgroupStats stats() {
        return new CgroupStats(null, null, null, null, List.of());
    }

    @Override
    public long oomKillCount() {
        return 0;
    }

    @Override
    public void destroy() {}

    @Override
    public List<Path> createdDirs() {
        return List.of();
    }

    @Override
    public void adopt(List<Path> createdDirs) {}

    @Override
    public String toString() {
        return "NoCgroups[" + path + "]";
    }
}
