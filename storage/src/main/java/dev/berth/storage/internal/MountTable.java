package dev.berth.storage.internal;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.FileStat;
import dev.berth.sys.MountInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this process's mounts (/proc/self/mountinfo, parsed by {@link MountInfo}) still use a
 * snapshot's directory, so that it is not removed from under a mount.
 */
public final class MountTable {
    private MountTable() {}

    /** Whether anything in /proc/self/mountinfo uses {@code dir}; see {@link #uses(Path, List)}. */
    public static boolean uses(Path dir) throws IOException {
        return uses(dir, MountInfo.self());
    }

    /**
     * Whether any of {@code mounts} uses {@code dir}: a mount point at or under it, an overlay whose
     * options name it (upperdir, workdir, lowerdir), or a bind mount of it. A bind mount's
     * mountinfo root is the path within its filesystem, not the absolute one, so a root that ends
     * like {@code dir} is confirmed by comparing device and inode.
     */
    static boolean uses(Path dir, List<MountInfo> mounts) {
        Path abs = dir.toAbsolutePath().normalize();
        String d = abs.toString();
        String end = abs.getNameCount() >= 2 ? "/" + abs.subpath(abs.getNameCount() - 2, abs.getNameCount()) : d;
        for (MountInfo m : mounts) {
            if (m.mountPoint().equals(d) || m.mountPoint().startsWith(d + "/")) {
                return true;
            }
            // lowerdir=/a:/b names several directories, the others one.
            for (String o : m.superOptions()) {
                if (o.contains(d + "/") || o.contains(d + ":") || o.endsWith(d)) {
                    return true;
                }
            }
            String root = m.root();
            int at = root.endsWith(end) ? root.length() - end.length() : root.indexOf(end + "/");
            if (at >= 0 && sameFile(m.mountPoint(), d + root.substring(at + end.length()))) {
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
}
