package dev.berth.engine.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A path inside a container's rootfs resolved on the host with its symlinks followed as the
 * container would see them: an absolute link target starts again at the rootfs, and ".." never
 * climbs above it (moby's symlink.FollowSymlinkInScope). Copy-up reads image content through
 * this, so that a link in an image such as /data -> /etc means the image's /etc, never the host's.
 */
final class ScopedPath {
    private static final int MAX_LINKS = 40;

    private ScopedPath() {}

    static Path resolve(Path root, String path) throws IOException {
        Deque<String> parts = new ArrayDeque<>(List.of(path.split("/")));
        Path cur = root;
        int links = 0;
        while (!parts.isEmpty()) {
            String p = parts.pop();
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (!cur.equals(root)) {
                    cur = cur.getParent();
                }
                continue;
            }
            Path next = cur.resolve(p);
            if (Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links: " + path);
                }
                String target = Files.readSymbolicLink(next).toString();
                if (target.startsWith("/")) {
                    cur = root;
                }
                String[] t = target.split("/");
                for (int i = t.length - 1; i >= 0; i--) {
                    parts.push(t[i]);
                }
                continue;
            }
            cur = next;
        }
        return cur;
    }

    static boolean isDirectory(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }
}
