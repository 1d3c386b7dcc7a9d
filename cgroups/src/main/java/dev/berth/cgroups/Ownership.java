package dev.berth.cgroups;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which directories a manager made, so that destroy() removes those and nothing else (a parent
 * such as /berth that existed before must survive). "Unknown" (a manager opened for an existing
 * container in another process, with no record adopted) falls back to the leaf directories, as
 * runc's destroy does: the container's own cgroup is the runtime's to remove.
 */
final class Ownership {
    private List<Path> made; // null = unknown

    void record(List<Path> dirs) {
        if (made == null) made = new ArrayList<>();
        for (Path d : dirs) {
            if (!made.contains(d)) made.add(d);
        }
    }

    /**
     * Takes over a record kept by an earlier create() (e.g. in the container's state file).
     * Every directory must lie on the way from a hierarchy's mount point to one of {@code leaves},
     * so a tampered state file cannot make destroy() remove other cgroups.
     */
    void adopt(List<Path> dirs, List<Hierarchy> hierarchies, List<Path> leaves) {
        for (Path d : dirs) {
            boolean ok = false;
            for (int i = 0; i < leaves.size() && !ok; i++) {
                Path mount = hierarchies.get(i).mountPoint();
                ok = d.startsWith(mount) && !d.equals(mount) && leaves.get(i).startsWith(d);
            }
            if (!ok) {
                throw new CgroupException("destroy", "refusing to adopt " + d + ": not on the path of this cgroup");
            }
        }
        record(dirs);
    }

    List<Path> list() {
        return made == null ? List.of() : List.copyOf(made);
    }

    List<Path> toRemove(List<Path> leaves) {
        return made == null ? leaves : made;
    }

    void removed() {
        made = new ArrayList<>();
    }
}
