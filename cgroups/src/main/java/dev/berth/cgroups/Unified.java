package dev.berth.cgroups;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * linux.resources.unified: raw cgroup v2 files, key = file name, value = what to write
 * (runtime-spec config-linux.md, "Unified"). Written after the typed fields so that a key can
 * refine them, as the spec intends. v2 only: on v1 and hybrid hosts the keys have no meaning
 * (v1 file names differ), so the manager refuses them.
 */
final class Unified {
    static final String FIELD = "linux.resources.unified";

    private Unified() {}

    static void apply(CgroupDir dir, Map<String, String> unified, Set<String> enabledControllers) {
        // Sorted, so that a failure is reproducible whatever order the JSON map had.
        for (Map.Entry<String, String> e : new TreeMap<>(unified).entrySet()) {
            String key = e.getKey();
            String field = FIELD + "[\"" + key + "\"]";
            if (key.isEmpty() || key.contains("/") || key.startsWith(".") || !key.contains(".")) {
                throw new CgroupException(field, "not a cgroup interface file name");
            }
            String controller = key.substring(0, key.indexOf('.'));
            if (!controller.equals("cgroup") && !enabledControllers.contains(controller)) {
                throw new CgroupException(field, "the " + controller + " controller is not enabled for " + dir
                        + " (cgroup.controllers: " + enabledControllers + ")");
            }
            if (!dir.has(key)) {
                throw new CgroupException(field, "this kernel has no file " + key + " in " + dir);
            }
            if (e.getValue() == null) {
                throw new CgroupException(field, "has no value");
            }
            dir.write(field, key, e.getValue());
        }
    }
}
