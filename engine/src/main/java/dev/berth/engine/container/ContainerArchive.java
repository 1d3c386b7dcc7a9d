package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.runtime.BerthRuntime;
import dev.berth.storage.archive.TarHeader;
import dev.berth.storage.archive.TarWriter;
import dev.berth.sys.AttrsAt;
import dev.berth.sys.DirFd;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import dev.berth.sys.Openat2;
import dev.berth.sys.SyscallException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * docker cp: a path of a container's filesystem stat'ed, read as a tar, or a tar extracted
 * into a directory of it. A running container is seen through /proc/<pid>/root, so its mounts
 * (binds, tmpfs, volumes) are where the container sees them; a stopped one through its rootfs
 * mount, which stays while the container exists.
 *
 * <p>Paths are resolved by the kernel with openat2(RESOLVE_IN_ROOT): "..", absolute paths and
 * symlinks all stay inside the container's root, as for a process chrooted there. Below the
 * resolved point nothing is looked up by path again: every directory is held open and entries
 * are reached with *at calls that refuse a symlink at the last component, so a container that
 * swaps a directory for a symlink mid-copy cannot make us read or write outside it
 * (CVE-2018-15664 was that race in docker cp).
 */
public final class ContainerArchive {
    /** Go's os.FileMode type bits, which the X-Docker-Container-Path-Stat header carries. */
    private static final long GO_DIR = 1L << 31, GO_SYMLINK = 1L << 27, GO_DEVICE = 1L << 26, GO_PIPE = 1L << 25,
            GO_SOCKET = 1L << 24, GO_SETUID = 1L << 23, GO_SETGID = 1L << 22, GO_CHAR = 1L << 21, GO_STICKY = 1L << 20;

    private final Containers containers;
    private final BerthRuntime runtime;

    public ContainerArchive(Containers containers, BerthRuntime runtime) {
        this.containers = containers;
        this.runtime = runtime;
    }

    /** What the X-Docker-Container-Path-Stat header says (docker's container.PathStat). */
    public record PathStat(String name, long size, long mode, String mtime, String linkTarget) {}

    /** A path found in the container: its parent held open and its name there ("" when the fd is the path itself). */
    private record Located(Fd parent, String name, FileStat stat, String absPath) implements AutoCloseable {
        @Override
        public void close() {
            parent.close();
        }
    }

    public PathStat stat(String idOrName, String path) {
        ContainerRecord c = containers.get(idOrName);
        try (Fd root = openRoot(c); Located l = locate(root, c, idOrName, path)) {
            return pathStat(l);
        }
    }

    /** Writes the tar of {@code path} (a file, or a directory with everything below it), named by its base name, as docker does. */
    public void archive(String idOrName, String path, OutputStream out) throws IOException {
        ContainerRecord c = containers.get(idOrName);
        try (Fd root = openRoot(c); Located l = locate(root, c, idOrName, path)) {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            TarWriter tar = new TarWriter(buffered);
            String base = baseName(l.absPath());
            if (l.stat().isDirectory()) {
                try (Fd dir = l.name().isEmpty() ? NodesAt.openDirectory(l.parent(), ".") : NodesAt.openDirectory(l.parent(), l.name())) {
                    tar.add(header(base + "/", l.stat(), ""), InputStream.nullInputStream());
                    walk(tar, dir, base + "/");
                }
            } else {
                add(tar, l.parent(), l.name(), base, l.stat());
            }
            tar.finish();
            buffered.flush();
        }
    }

    /**
     * Extracts {@code tar} into directory {@code path} (symlinks to a directory followed, inside
     * the container). Ownership and modes come from the archive. With {@code noOverwriteDirNonDir}
     * an entry that would replace a directory with a non-directory, or the reverse, is an error.
     */
    public void extract(String idOrName, String path, InputStream tarStream, boolean noOverwriteDirNonDir) throws IOException {
        ContainerRecord c = containers.get(idOrName);
        if (c.hostConfig() != null && Boolean.TRUE.equals(c.hostConfig().readonlyRootfs())) {
            throw new EngineException(403, "container rootfs is marked read-only");
        }
        try (Fd root = openRoot(c); Fd dest = openDestination(root, idOrName, path)) {
            new Extraction(dest, noOverwriteDirNonDir).run(new TarArchiveInputStream(tarStream));
        }
    }

    private Fd openRoot(ContainerRecord c) {
        try {
            if (c.status().equals("running") || c.status().equals("paused")) {
                return DirFd.open(Path.of("/proc/" + runtime.load(c.id()).record().pid() + "/root"));
            }
            return DirFd.open(containers.rootfs(c.id()));
        } catch (IOException | RuntimeException e) {
            throw new EngineException(500, "opening the filesystem of container " + c.id() + ": " + e.getMessage(), e);
        }
    }

    private static Located locate(Fd root, ContainerRecord c, String idOrName, String path) {
        if (path == null || path.isEmpty()) {
            throw new EngineException(400, "path cannot be empty");
        }
        String abs = absolute(path);
        boolean itself = abs.equals("/") || abs.endsWith("/") || abs.endsWith("/.");
        String dir = itself ? abs : abs.substring(0, abs.lastIndexOf('/') + 1);
        String name = itself ? "" : abs.substring(abs.lastIndexOf('/') + 1);
        Fd parent;
        try {
            parent = Openat2.openDirectoryInRoot(root, relative(dir));
        } catch (SyscallException e) {
            throw notFound(e, path, idOrName);
        }
        try {
            FileStat st = AttrsAt.statIfExists(parent, name).orElseThrow(() -> notFoundError(path, idOrName));
            return new Located(parent, name, st, abs);
        } catch (RuntimeException e) {
            parent.close();
            throw e;
        }
    }

    private static Fd openDestination(Fd root, String idOrName, String path) {
        if (path == null || path.isEmpty()) {
            throw new EngineException(400, "path cannot be empty");
        }
        try {
            return Openat2.openDirectoryInRoot(root, relative(absolute(path)));
        } catch (SyscallException e) {
            if (e.errno().number() == Errno.ENOTDIR) {
                throw new EngineException(400, "extraction point is not a directory");
            }
            throw notFound(e, path, idOrName);
        }
    }

    private static EngineException notFound(SyscallException e, String path, String idOrName) {
        int errno = e.errno().number();
        if (errno == Errno.ENOENT || errno == Errno.ENOTDIR) {
            return notFoundError(path, idOrName);
        }
        return new EngineException(500, path + ": " + e.getMessage(), e);
    }

    private static EngineException notFoundError(String path, String idOrName) {
        return new EngineException(404, "Could not find the file " + path + " in container " + idOrName);
    }

    /** "/" + path with duplicate slashes collapsed, a trailing "/" or "/." kept (it means "the directory itself"). */
    static String absolute(String path) {
        return ("/" + path).replaceAll("/+", "/");
    }

    private static String relative(String abs) {
        String r = abs.replaceAll("^/+", "");
        return r.isEmpty() ? "." : r;
    }

    /** Go's filepath.Base of the requested path: "/etc/" is "etc", "/etc/." is ".", "/" is "/". */
    static String baseName(String abs) {
        if (abs.equals("/")) {
            return "/";
        }
        String p = abs.endsWith("/") ? abs.substring(0, abs.length() - 1) : abs;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    private static PathStat pathStat(Located l) {
        FileStat st = l.stat();
        String link = "";
        if (st.isSymlink()) {
            String target = NodesAt.readlink(l.parent(), l.name());
            String dir = l.absPath().substring(0, l.absPath().lastIndexOf('/') + 1);
            link = target.startsWith("/") ? target : Path.of(dir, target).normalize().toString();
        }
        return new PathStat(baseName(l.absPath()), st.size(), goMode(st), Instant.ofEpochSecond(st.mtimeSec(), st.mtimeNsec()).toString(), link);
    }

    static long goMode(FileStat st) {
        long m = st.mode() & 0777;
        switch (st.type()) {
            case FileStat.S_IFDIR -> m |= GO_DIR;
            case FileStat.S_IFLNK -> m |= GO_SYMLINK;
            case FileStat.S_IFBLK -> m |= GO_DEVICE;
            case FileStat.S_IFCHR -> m |= GO_DEVICE | GO_CHAR;
            case FileStat.S_IFIFO -> m |= GO_PIPE;
            case FileStat.S_IFSOCK -> m |= GO_SOCKET;
            default -> { }
        }
        if ((st.mode() & 04000) != 0) {
            m |= GO_SETUID;
        }
        if ((st.mode() & 02000) != 0) {
            m |= GO_SETGID;
        }
        if ((st.mode() & 01000) != 0) {
            m |= GO_STICKY;
        }
        return m;
    }

    /** Every entry below the held directory {@code dir}, depth first, named under {@code prefix}. */
    private static void walk(TarWriter tar, Fd dir, String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        // The magic link names exactly the directory we hold: no path is resolved again.
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/fd/" + dir.number()))) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        names.sort(null);
        for (String name : names) {
            FileStat st;
            try {
                st = AttrsAt.stat(dir, name);
            } catch (SyscallException gone) {
                continue; // removed while we looked
            }
            if (st.isDirectory()) {
                Fd sub;
                try {
                    sub = NodesAt.openDirectory(dir, name);
                } catch (SyscallException swapped) {
                    continue; // no longer a directory (or gone): not followed
                }
                try (sub) {
                    tar.add(header(prefix + name + "/", st, ""), InputStream.nullInputStream());
                    walk(tar, sub, prefix + name + "/");
                }
            } else {
                add(tar, dir, name, prefix + name, st);
            }
        }
    }

    /** One non-directory entry; a file is read through an fd opened without following a symlink. */
    private static void add(TarWriter tar, Fd dir, String name, String entry, FileStat st) throws IOException {
        if (st.isRegularFile()) {
            try (Fd f = NodesAt.openRead(dir, name)) {
                FileStat now = AttrsAt.stat(f, "");
                tar.add(header(entry, now, ""), exactly(f.inputStream(), now.size()));
            } catch (SyscallException swapped) {
                // replaced by something else meanwhile: left out
            }
        } else if (st.isSymlink()) {
            tar.add(header(entry, st, NodesAt.readlink(dir, name)), InputStream.nullInputStream());
        } else if (st.isCharDevice() || st.isBlockDevice() || st.isFifo()) {
            tar.add(header(entry, st, ""), InputStream.nullInputStream());
        }
        // sockets have no tar form; docker leaves them out too
    }

    private static TarHeader header(String name, FileStat st, String link) {
        char type = switch (st.type()) {
            case FileStat.S_IFDIR -> TarHeader.DIRECTORY;
            case FileStat.S_IFLNK -> TarHeader.SYMLINK;
            case FileStat.S_IFCHR -> TarHeader.CHAR_DEVICE;
            case FileStat.S_IFBLK -> TarHeader.BLOCK_DEVICE;
            case FileStat.S_IFIFO -> TarHeader.FIFO;
            default -> TarHeader.FILE;
        };
        return new TarHeader(name, type, st.permissions(), st.uid(), st.gid(), type == TarHeader.FILE ? st.size() : 0,
                st.mtimeSec(), link, st.rdevMajor(), st.rdevMinor(), Map.of());
    }

    /** {@code size} bytes: a file that shrank while being read is padded with zeros, one that grew is cut. */
    private static InputStream exactly(InputStream in, long size) {
        return new InputStream() {
            long left = size;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    n = (int) Math.min(len, left);
                    java.util.Arrays.fill(b, off, off + n, (byte) 0);
                }
                left -= n;
                return n;
            }
        };
    }

    /**
     * Extraction into one held directory: each entry's parent is reached component by component
     * with openat(O_NOFOLLOW | O_DIRECTORY) from it (made when missing), so no entry ("..",
     * or a path through a symlink, in the archive or in the container) lands outside it.
     */
    private static final class Extraction {
        private final Fd dest;
        private final boolean noOverwriteDirNonDir;

        Extraction(Fd dest, boolean noOverwriteDirNonDir) {
            this.dest = dest;
            this.noOverwriteDirNonDir = noOverwriteDirNonDir;
        }

        void run(TarArchiveInputStream in) throws IOException {
            List<Runnable> dirTimes = new ArrayList<>();
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                List<String> parts = components(e.getName());
                if (parts.isEmpty()) {
                    continue; // "./": the destination itself
                }
                String name = parts.getLast();
                try (Fd parent = parentOf(parts)) {
                    write(parent, parts, e, in, dirTimes);
                } catch (SyscallException ex) {
                    throw new EngineException(500, "extracting " + e.getName() + ": " + ex.getMessage(), ex);
                }
            }
            // Directory times last: creating their entries changed them.
            for (int i = dirTimes.size() - 1; i >= 0; i--) {
                dirTimes.get(i).run();
            }
        }

        private static List<String> components(String name) {
            List<String> out = new ArrayList<>();
            for (String p : name.split("/")) {
                if (p.isEmpty() || p.equals(".")) {
                    continue;
                }
                if (p.equals("..")) {
                    throw new EngineException(400, "invalid archive entry " + name + ": it leaves the destination");
                }
                out.add(p);
            }
            return out;
        }

        private Fd parentOf(List<String> parts) {
            Fd cur = NodesAt.openDirectory(dest, ".");
            for (String p : parts.subList(0, parts.size() - 1)) {
                Fd next;
                try {
                    next = NodesAt.openDirectory(cur, p);
                } catch (SyscallException e) {
                    if (e.errno().number() != Errno.ENOENT) {
                        cur.close();
                        throw new EngineException(400, "cannot extract below " + p + ": not a directory");
                    }
                    NodesAt.mkdir(cur, p, 0755);
                    next = NodesAt.openDirectory(cur, p);
                }
                cur.close();
                cur = next;
            }
            return cur;
        }

        private void write(Fd parent, List<String> parts, TarArchiveEntry e, InputStream content, List<Runnable> dirTimes) throws IOException {
            String name = parts.getLast();
            var existing = AttrsAt.statIfExists(parent, name);
            int uid = (int) e.getLongUserId(), gid = (int) e.getLongGroupId();
            long mtime = e.getLastModifiedTime() == null ? Instant.now().getEpochSecond() : e.getLastModifiedTime().toInstant().getEpochSecond();
            if (e.isDirectory()) {
                if (existing.isPresent() && !existing.get().isDirectory()) {
                    if (noOverwriteDirNonDir) {
                        throw new EngineException(400, "cannot overwrite non-directory \"" + e.getName() + "\" with directory");
                    }
                    NodesAt.unlink(parent, name);
                    existing = java.util.Optional.empty();
                }
                if (existing.isEmpty()) {
                    NodesAt.mkdir(parent, name, 0700);
                }
                AttrsAt.chown(parent, name, uid, gid);
                AttrsAt.chmod(parent, name, e.getMode() & 07777);
                dirTimes.add(() -> {
                    // Found again from the destination, not kept open: an archive may hold many directories.
                    try (Fd p = parentOf(parts)) {
                        AttrsAt.setTimes(p, name, mtime, 0, mtime, 0);
                    } catch (RuntimeException ignored) {
                        // times are best effort, as tar's
                    }
                });
                return;
            }
            if (existing.isPresent()) {
                if (existing.get().isDirectory()) {
                    if (noOverwriteDirNonDir) {
                        throw new EngineException(400, "cannot overwrite directory \"" + e.getName() + "\" with non-directory");
                    }
                    throw new EngineException(400, "cannot replace directory " + e.getName() + " with a non-directory");
                }
                NodesAt.unlink(parent, name);
            }
            if (e.isSymbolicLink()) {
                NodesAt.symlink(e.getLinkName(), parent, name);
            } else if (e.isLink()) {
                List<String> target = components(e.getLinkName());
                if (target.isEmpty()) {
                    throw new EngineException(400, "invalid hard link " + e.getName());
                }
                try (Fd from = parentOf(target)) {
                    NodesAt.link(from, target.getLast(), parent, name);
                }
                return;
            } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                int type = e.isCharacterDevice() ? FileStat.S_IFCHR : e.isBlockDevice() ? FileStat.S_IFBLK : FileStat.S_IFIFO;
                long dev = ((long) e.getDevMajor() << 8) | (e.getDevMinor() & 0xff) | ((long) (e.getDevMinor() & ~0xff) << 12);
                NodesAt.mknod(parent, name, type | (e.getMode() & 07777), dev);
            } else {
                try (Fd f = NodesAt.create(parent, name, 0600); OutputStream out = f.outputStream()) {
                    content.transferTo(out);
                }
            }
            AttrsAt.chown(parent, name, uid, gid);
            if (!e.isSymbolicLink()) {
                AttrsAt.chmod(parent, name, e.getMode() & 07777);
            }
            AttrsAt.setTimes(parent, name, mtime, 0, mtime, 0);
        }
    }
}
