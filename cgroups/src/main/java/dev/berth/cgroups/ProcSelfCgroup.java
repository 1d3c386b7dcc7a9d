package dev.berth.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses /proc/self/cgroup (cgroups(7)): one line per hierarchy, {@code id:controllers:path}.
 * v1 lines carry the hierarchy's comma-separated controllers (named hierarchies as
 * {@code name=systemd}); the v2 line is {@code 0::/path}. The path is where this process sits,
 * relative to the hierarchy's root as seen from our cgroup namespace.
 */
final class ProcSelfCgroup {
    record Entry(int id, Set<String> controllers, String path) {
        boolean unified() {
            return id == 0 && controllers.isEmpty();
        }
    }

    private ProcSelfCgroup() {}

    static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            // The path is last and may itself contain ':' so split into at most three parts.
            String[] f = line.split(":", 3);
            if (f.length != 3) {
                throw new IllegalArgumentException("malformed /proc/self/cgroup line: " + line);
            }
            Set<String> controllers = f[1].isEmpty() ? Set.of() : Set.copyOf(List.of(f[1].split(",")));
            out.add(new Entry(Integer.parseInt(f[0]), controllers, f[2]));
        }
        return out;
    }
}
