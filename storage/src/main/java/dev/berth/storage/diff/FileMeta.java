package dev.berth.storage.diff;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.FileStat;
import dev.berth.sys.Xattrs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reading one node of a tree: lstat, its xattrs and, for a symlink, its target. */
final class FileMeta {
    /**
     * Attributes that describe the host or overlayfs's bookkeeping rather than the file: overlay's
     * own (trusted.overlay.*, user.overlay.*: opaque is turned into a marker entry, the rest must
     * never travel) and SELinux labels, which belong to the host's policy.
     */
    private static final String[] NOT_CONTENT = {"trusted.overlay.", "user.overlay.", "security.selinux"};

    private FileMeta() {}

    static Optional<FileStat> lstat(Path p) {
        return AttrsAt.statIfExists(null, p.toString());
    }

    /** The xattrs that are part of the file's content, sorted by name. */
    static Map<String, byte[]> xattrs(Path p) {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : Xattrs.list(p.toString())) {
            if (!content(name)) {
                continue;
            }
            Xattrs.get(p.toString(), name).ifPresent(v -> out.put(name, v));
        }
        return out;
    }

    private static boolean content(String name) {
        for (String prefix : NOT_CONTENT) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    static boolean isOpaque(Path dir) {
        return Xattrs.get(dir.toString(), "trusted.overlay.opaque")
                .map(v -> v.length == 1 && v[0] == 'y').orElse(false);
    }

    static boolean sameXattrs(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }
}
