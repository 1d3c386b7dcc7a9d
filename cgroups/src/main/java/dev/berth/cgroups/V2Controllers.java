package dev.berth.cgroups;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * cgroup v2 controller enablement (cgroup-v2.rst, "Enabling and Disabling"): a controller is
 * usable in a cgroup only when its parent lists it in cgroup.subtree_control, and a parent can
 * enable only what its own cgroup.controllers offers, so enabling runs from the top down.
 */
final class V2Controllers {
    private V2Controllers() {}

    /** The controllers usable in {@code dir}: its cgroup.controllers, in the kernel's order. */
    static Set<String> enabled(CgroupDir dir) {
        String s = dir.read("cgroup.controllers", "cgroup.controllers");
        return s.isEmpty() ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(List.of(s.split("\\s+"))));
    }

    /**
     * Enables, in every cgroup from {@code top} down to the parent of {@code leaf}, the wanted
     * controllers that are available there. Each is enabled with its own write, and a refusal is
     * not fatal, as in runc's CreateCgroupPath: e.g. "+cpu" fails with EINVAL while a real-time
     * task sits in the parent, and EBUSY in a non-root parent that holds processes ("no internal
     * processes" rule). A resource that needs the controller then fails in apply() with an error
     * naming its field. Enabling is never undone: other cgroups under the same parents may rely
     * on it.
     */
    static void enableDown(Path top, Path leaf, Predicate<String> wanted) {
        List<Path> parents = new ArrayList<>();
        for (Path p = leaf.getParent(); p != null && p.startsWith(top); p = p.getParent()) {
            parents.addFirst(p);
        }
        for (Path p : parents) {
            CgroupDir dir = new CgroupDir(p);
            String subtree = dir.read("cgroup.subtree_control", "cgroup.subtree_control");
            Set<String> on = subtree.isEmpty() ? Set.of() : Set.of(subtree.split("\\s+"));
            for (String c : enabled(dir)) {
                if (wanted.test(c) && !on.contains(c)) {
                    try {
                        dir.write("cgroup.subtree_control", "cgroup.subtree_control", "+" + c);
                    } catch (CgroupException ignored) {
                        // see above: reported by apply() if a resource needs it
                    }
                }
            }
        }
    }
}
