package dev.berth.storage.internal;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.FileStat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** du(1) of a tree: allocated bytes and inodes, each inode counted once, symlinks not followed. */
public final class DiskUsage {
    private DiskUsage() {}

    /** {bytes, inodes} */
    public static long[] of(Path root) throws IOException {
        long[] total = new long[2];
        Set<Long> seen = new HashSet<>();
        walk(root, total, seen);
        return total;
    }

    private static void walk(Path p, long[] total, Set<Long> seen) throws IOException {
        FileStat st = AttrsAt.lstat(p.toString());
        if (st.nlink() <= 1 || st.isDirectory() || seen.add(st.ino())) {
            total[0] += st.blocks() * 512;
            total[1]++;
        }
        if (st.isDirectory()) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
                for (Path child : s) {
                    walk(child, total, seen);
                }
            }
        }
    }
}
