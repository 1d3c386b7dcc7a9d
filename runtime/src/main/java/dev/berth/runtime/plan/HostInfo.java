package dev.berth.runtime.plan;

import dev.berth.runtime.linux.Capabilities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts about this host that shape a plan.
 *
 * @param cgroupV1Hierarchies the superblock options naming each mounted v1 hierarchy
 *                            ("memory", "cpu,cpuacct", "name=systemd"); empty on a pure v2 host
 * @param lastCap             /proc/sys/kernel/cap_last_cap
 */
public record HostInfo(List<String> cgroupV1Hierarchies, int lastCap) {

    public static HostInfo detect() {
        return new HostInfo(v1Hierarchies(Path.of("/proc/self/mountinfo")), Capabilities.lastCap());
    }

    /** Parses mountinfo (proc(5)): the super options of each "cgroup" (v1) mount, once each. */
    static List<String> v1Hierarchies(Path mountinfo) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(mountinfo)) {
                String[] halves = line.split(" - ", 2);
                if (halves.length < 2) {
                    continue;
                }
                String[] tail = halves[1].split(" ");
                if (tail.length < 3 || !tail[0].equals("cgroup")) {
                    continue;
                }
                List<String> names = new ArrayList<>();
                for (String opt : tail[2].split(",")) {
                    if (!opt.equals("rw") && !opt.equals("ro") && !opt.startsWith("release_agent")
                            && !opt.equals("clone_children") && !opt.equals("noprefix") && !opt.equals("xattr")
                            && !opt.equals("nsdelegate")) {
                        names.add(opt);
                    }
                }
                String joined = String.join(",", names);
                if (!joined.isEmpty() && !out.contains(joined)) {
                    out.add(joined);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }
}
