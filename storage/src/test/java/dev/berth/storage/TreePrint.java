package dev.berth.storage;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.FileStat;
import dev.berth.sys.Xattrs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tree described path by path, to compare trees: type, owner, mode, size, device, symlink
 * target, content hash, xattrs (overlay's own left out) and mtime (whole seconds, what a layer
 * tar keeps). Links counts and inode numbers are left out: they differ by construction.
 */
public final class TreePrint {
    private TreePrint() {}

    public static Map<String, String> of(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        walk(root, "", out);
        return out;
    }

    private static void walk(Path root, String rel, Map<String, String> out) throws IOException {
        Path dir = rel.isEmpty() ? root : root.resolve(rel);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String path = rel.isEmpty() ? p.getFileName().toString() : rel + "/" + p.getFileName();
                FileStat st = AttrsAt.lstat(p.toString());
                StringBuilder b = new StringBuilder();
                b.append(Integer.toOctalString(st.mode())).append(' ').append(st.uid()).append(':').append(st.gid())
                        .append(" t=").append(st.mtimeSec());
                if (st.isRegularFile()) {
                    b.append(" size=").append(st.size()).append(" sha=").append(sha(p));
                } else if (st.isSymlink()) {
                    b.append(" -> ").append(Files.readSymbolicLink(p));
                } else if (st.isCharDevice() || st.isBlockDevice()) {
                    b.append(" dev=").append(st.rdevMajor()).append(',').append(st.rdevMinor());
                }
                for (String x : new java.util.TreeSet<>(Xattrs.list(p.toString()))) {
                    if (!x.startsWith("trusted.overlay.")) {
                        b.append(' ').append(x).append('=').append(HexFormat.of().formatHex(Xattrs.get(p.toString(), x).orElse(new byte[0])));
                    }
                }
                out.put(path, b.toString());
                if (st.isDirectory()) {
                    walk(root, path, out);
                }
            }
        }
    }

    private static String sha(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
