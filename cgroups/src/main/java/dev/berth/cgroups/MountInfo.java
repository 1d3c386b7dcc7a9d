package dev.berth.cgroups;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses /proc/self/mountinfo (proc(5), "/proc/pid/mountinfo") and keeps the cgroup and cgroup2
 * mounts. A line reads
 * <pre>
 *   36 35 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
 *   (1)(2) (3) (4)      (5)              (6)        (7)   (8) (9)   (10)     (11)
 * </pre>
 * where (7) is zero or more optional fields ended by the "-" separator (8). We need (3) to tell
 * hierarchies apart (every cgroup v1 hierarchy has its own superblock, so two mounts with one
 * device are bind mounts of one hierarchy), (4) the cgroup seen at the mount point, (5) where it is
 * mounted, (9) the type and (11) the super options, which for v1 name the hierarchy's controllers.
 */
final class MountInfo {
    /** One cgroup or cgroup2 mount. {@code superOptions} are split on commas. */
    record Entry(String device, String root, String mountPoint, String fsType, List<String> superOptions) {
        boolean unified() {
            return fsType.equals("cgroup2");
        }
    }

    private MountInfo() {}

    static List<Entry> parseCgroupMounts(String text) {
        List<Entry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (dash < 6 || f.length < dash + 3) {
                throw new IllegalArgumentException("malformed mountinfo line: " + line);
            }
            String fsType = f[dash + 1];
            if (!fsType.equals("cgroup") && !fsType.equals("cgroup2")) {
                continue;
            }
            String superOpts = f.length > dash + 3 ? f[dash + 3] : "";
            out.add(new Entry(f[2], unescape(f[3]), unescape(f[4]), fsType,
                    superOpts.isEmpty() ? List.of() : List.of(superOpts.split(","))));
        }
        return out;
    }

    /** The kernel writes space, tab, newline and backslash in paths as octal escapes (\040 etc.). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
