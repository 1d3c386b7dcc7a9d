package dev.berth.storage.snapshot;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.DirFd;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import dev.berth.sys.Openat2;
import dev.berth.sys.SyscallException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Makes the places something will later be mounted on, in a tree that may come from an untrusted
 * image: what is missing is created (a directory 0755, an empty file 0644, parents as
 * directories 0755, owned by the caller), what is there is left as it is. Paths are resolved as
 * a process chrooted in the tree would resolve them (openat2 RESOLVE_IN_ROOT), the way the
 * runtime resolves its mount targets, so a symlink on the way leads where the mount will land
 * and never out of the tree.
 *
 * <p>One exception to "left as it is": a symlink where a directory or file target belongs is
 * replaced, as moby's initlayer does. The mount would otherwise land wherever the image's link
 * points, and one that dangles would make the runtime create its target.
 *
 * <p>A target whose parent is not a directory (a file, a dangling link) is skipped: nothing can
 * be mounted there, and the runtime reports it when it tries.
 */
public final class MountTargets {
    /** What a target is: a directory or an empty file to mount on, or a symlink to make. */
    public enum Kind { DIRECTORY, FILE, SYMLINK }

    /**
     * @param path absolute in the tree, "/etc/hosts"
     * @param link the symlink's target for {@link Kind#SYMLINK}, else null
     */
    public record Target(String path, Kind kind, String link) {
        public Target {
            if (!path.startsWith("/") || path.equals("/")
                    || Arrays.stream(path.substring(1).split("/")).anyMatch(c -> c.isEmpty() || c.equals(".") || c.equals(".."))) {
                throw new IllegalArgumentException("mount target must be a clean absolute path below the root: " + path);
            }
            if ((kind == Kind.SYMLINK) != (link != null)) {
                throw new IllegalArgumentException("only a symlink target has a link: " + path);
            }
        }

        public static Target directory(String path) {
            return new Target(path, Kind.DIRECTORY, null);
        }

        public static Target file(String path) {
            return new Target(path, Kind.FILE, null);
        }

        public static Target symlink(String path, String link) {
            return new Target(path, Kind.SYMLINK, link);
        }
    }

    private MountTargets() {}

    /** Creates the missing {@code targets} under {@code root}, in order. */
    public static void create(Path root, List<Target> targets) {
        try (Fd rootFd = DirFd.open(root)) {
            for (Target t : targets) {
                create(rootFd, t);
            }
        }
    }

    private static void create(Fd root, Target t) {
        String[] parts = t.path().substring(1).split("/");
        Fd dir = root;
        try {
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < parts.length - 1; i++) {
                if (AttrsAt.statIfExists(dir, parts[i]).isEmpty()) {
                    mkdir(dir, parts[i]);
                }
                prefix.append(i == 0 ? "" : "/").append(parts[i]);
                Fd next = openDirectory(root, prefix.toString());
                if (dir != root) {
                    dir.close();
                }
                dir = next;
                if (dir == null) {
                    return;
                }
            }
            String name = parts[parts.length - 1];
            Optional<FileStat> st = AttrsAt.statIfExists(dir, name);
            if (st.isPresent() && st.get().isSymlink() && t.kind() != Kind.SYMLINK) {
                NodesAt.unlink(dir, name);
                st = Optional.empty();
            }
            if (st.isPresent()) {
                return;
            }
            switch (t.kind()) {
                case DIRECTORY -> mkdir(dir, name);
                case FILE -> {
                    try (Fd f = NodesAt.create(dir, name, 0644)) {
                        AttrsAt.fchmod(f, 0644); // the daemon's umask is not the container's business
                    }
                }
                case SYMLINK -> NodesAt.symlink(t.link(), dir, name);
            }
        } finally {
            if (dir != null && dir != root) {
                dir.close();
            }
        }
    }

    private static void mkdir(Fd dir, String name) {
        NodesAt.mkdir(dir, name, 0755);
        AttrsAt.chmod(dir, name, 0755);
    }

    /** {@code path} opened as a directory in the root, or null when it is missing or not a directory there. */
    private static Fd openDirectory(Fd root, String path) {
        try {
            return Openat2.openDirectoryInRoot(root, path);
        } catch (SyscallException e) {
            int errno = e.errno().number();
            if (errno == Errno.ENOENT || errno == Errno.ENOTDIR) {
                return null;
            }
            throw e;
        }
    }
}
