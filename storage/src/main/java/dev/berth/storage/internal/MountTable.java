package dev.berth.storage.internal;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.FileStat;
import dev.berth.sys.KernelFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * This process's mounts, from /proc/self/mountinfo (proc(5): "mount ID, parent ID, major:minor,
 * root, mount point, mount options, optional fields..., -, fs type, source, super options";
 * space, tab, newline and backslash are octal-escaped).
 */
public final class MountTable {
    /** One line of mountinfo. */
    public record Entry(String root, String mountPoint, String fsType, String source, String superOptions) {}

    private MountTable() {}

    public static List<Entry> read() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : KernelFiles.read(Path.of("/proc/self/mountinfo")).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            int dash = 6;
            while (dash < f.length && !f[dash].equals("-")) {
                dash++;
            }
            if (dash + 1 >= f.length) {
                continue; // not a line of the documented shape
            }
            out.add(new Entry(unescape(f[3]), unescape(f[4]), f[dash + 1],
                    dash + 2 < f.length ? unescape(f[dash + 2]) : "",
                    dash + 3 < f.length ? unescape(f[dash + 3]) : ""));
        }
        return out;
    }

    /**
     * Whether anything mounted uses {@code dir}: a mount point at or under it, an overlay whose
     * options name it (upperdir, workdir, lowerdir), or a bind mount of it. A bind mount's
     * mountinfo root is the path within its filesystem, not the absolute one, so a root that ends
     * like {@code dir} is confirmed by comparing device and inode.
     */
    public static boolean uses(Path dir) throws IOException {
        String d = dir.toAbsolutePath().normalize().toString();
        Path tail = dir.toAbsolutePath().normalize();
        String end = tail.getNameCount() >= 2 ? "/" + tail.subpath(tail.getNameCount() - 2, tail.getNameCount()) : d;
        for (Entry e : read()) {
            if (e.mountPoint().equals(d) || e.mountPoint().startsWith(d + "/")) {
                return true;
            }
            String o = e.superOptions();
            if (o.contains(d + "/") || o.contains(d + ",") || o.contains(d + ":") || o.endsWith(d)) {
                return true;
            }
            String root = e.root();
            int at = root.endsWith(end) ? root.length() - end.length() : root.indexOf(end + "/");
            if (at >= 0 && sameFile(e.mountPoint(), d + root.substring(at + end.length()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFile(String a, String b) {
        try {
            FileStat x = AttrsAt.lstat(a);
            FileStat y = AttrsAt.lstat(b);
            return x.ino() == y.ino() && x.devMajor() == y.devMajor() && x.devMinor() == y.devMinor();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException ignored) {
                    // not an escape
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
