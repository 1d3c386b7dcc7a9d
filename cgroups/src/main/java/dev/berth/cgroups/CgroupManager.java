package dev.berth.cgroups;

import dev.berth.oci.runtime.Spec;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's cgroup: made, limited, joined, paused, measured and removed, on whatever layout
 * the host has. One implementation per layout: {@link CgroupV1} (v1, and hybrid hosts where some
 * controllers live in the v2 mount), {@link CgroupV2}, and {@link NoCgroups} when there is no
 * cgroup filesystem or cgroups are turned off.
 *
 * <p>Every failure is a {@link CgroupException} whose message starts with the config field
 * concerned. Nothing here forks or joins a process: the runtime writes a pid to
 * {@link #procsFiles()} (or hands them to the C stage).
 */
public sealed interface CgroupManager permits CgroupV1, CgroupV2, NoCgroups {

    /**
     * The manager for {@code cgroupsPath} (the final path; the caller picks the default) on this
     * host's layout. Absolute paths are taken from each hierarchy's root as mounted, and so are
     * relative ones (see {@link CgroupTree#normalize}). Creates nothing.
     */
    static CgroupManager open(String cgroupsPath) {
        return open(cgroupsPath, CgroupLayout.detect());
    }

    /** As {@link #open(String)} on a given layout (tests use fake hierarchies under a temporary directory). */
    static CgroupManager open(String cgroupsPath, CgroupLayout layout) {
        String path = CgroupTree.normalize(cgroupsPath);
        return switch (layout.mode()) {
            case V1, HYBRID -> new CgroupV1(path, layout);
            case V2 -> new CgroupV2(path, layout.unified());
            case NONE -> new NoCgroups(path);
        };
    }

    /** A manager that does nothing, for hosts or configurations where cgroups are off. */
    static CgroupManager disabled(String cgroupsPath) {
        return new NoCgroups(cgroupsPath);
    }

    /** The normalized cgroup path, e.g. /berth-test/abc. */
    String path();

    /**
     * mkdir the path in every hierarchy, parents as needed, remembering which directories this
     * call made. On v1 a new cpuset cgroup gets its parent's cpus and mems; on v2 (and the v2
     * part of a hybrid host) the parents enable the controllers the cgroup will use. On failure
     * what was made is removed again.
     */
    void create();

    /** Writes the limits in {@code r}; null fields are left as they are. Used at create and by update. */
    void apply(Spec.Resources r);

    /** The cgroup.procs files a new process's pid must be written to: one per hierarchy on v1, one on v2. */
    List<Path> procsFiles();

    /** Every process in the cgroup and the cgroups below it, sorted. */
    List<Integer> pids();

    /** Freezes every process and returns once the kernel reports the cgroup frozen. */
    void freeze();

    void thaw();

    boolean frozen();

    CgroupStats stats();

    /** Processes the OOM killer killed in this cgroup (v1 memory.oom_control, v2 memory.events); 0 without a memory controller. */
    long oomKillCount();

    /**
     * Removes the directories create() made (or that {@link #adopt} handed over), deepest first,
     * waiting briefly for dying processes to leave. If this manager neither created nor adopted
     * anything, the leaf directories are removed. Missing directories are fine.
     */
    void destroy();

    /** The directories create() made, for the caller to keep in the container's state. */
    List<Path> createdDirs();

    /** Hands a record from {@link #createdDirs()} to a manager opened later (another process). */
    void adopt(List<Path> createdDirs);
}
