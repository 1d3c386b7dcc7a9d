package dev.berth.storage.snapshot;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.DevNumbers;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.FdWriter;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Xattrs;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Copies a tree with everything a layer holds: types (devices and fifos by mknod), numeric
 * owners, modes with setuid and sticky, xattrs, times to the nanosecond (a symlink's own, a
 * directory's after its contents), and hard links between files of the tree. File data moves
 * with copy_file_range(2), a reflink where the filesystem can. Symlinks are copied, never
 * followed; directories are descended only after lstat says they are directories.
 */
public final class TreeCopier implements AutoCloseable {
    private record Inode(int devMajor, int devMinor, long ino) {}

    private final FdWriter writer = new FdWriter();
    private final Map<Inode, String> copied = new HashMap<>();

    /** Copies the contents of directory {@code from} into existing directory {@code to}, and its root's attributes. */
    public void copy(Path from, Path to) throws IOException {
        FileStat root = AttrsAt.lstat(from.toString());
        contents(from, to);
        attributes(from.toString(), to.toString(), root);
    }

    private void contents(Path from, Path to) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(from)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        for (String name : names) {
            String src = from.resolve(name).toString();
            String dst = to.resolve(name).toString();
            FileStat st = AttrsAt.lstat(src);
            switch (st.type()) {
                case FileStat.S_IFDIR -> {
                    NodesAt.mkdir(null, dst, 0700);
                    contents(from.resolve(name), to.resolve(name));
                }
                case FileStat.S_IFREG -> {
                    Inode inode = new Inode(st.devMajor(), st.devMinor(), st.ino());
                    String first = st.nlink() > 1 ? copied.get(inode) : null;
                    if (first != null) {
                        NodesAt.link(null, first, null, dst);
                        continue; // same inode: attributes are already set
                    }
                    try (Fd in = NodesAt.openRead(null, src); Fd out = NodesAt.create(null, dst, 0600)) {
                        writer.copy(in, out);
                    }
                    if (st.nlink() > 1) {
                        copied.put(inode, dst);
                    }
                }
                case FileStat.S_IFLNK -> NodesAt.symlink(NodesAt.readlink(null, src), null, dst);
                case FileStat.S_IFCHR, FileStat.S_IFBLK, FileStat.S_IFIFO, FileStat.S_IFSOCK ->
                        NodesAt.mknod(null, dst, st.type() | 0600, DevNumbers.makedev(st.rdevMajor(), st.rdevMinor()));
                default -> throw new IOException("cannot copy " + src + ": unknown file type " + Integer.toOctalString(st.type()));
            }
            attributes(src, dst, st);
        }
    }

    private static void attributes(String src, String dst, FileStat st) {
        AttrsAt.chown(null, dst, st.uid(), st.gid());
        if (!st.isSymlink()) {
            AttrsAt.chmod(null, dst, st.permissions());
        }
        for (String name : Xattrs.list(src)) {
            var value = Xattrs.get(src, name);
            if (value.isEmpty()) {
                continue;
            }
            try {
                Xattrs.set(dst, name, value.get());
            } catch (SyscallException e) {
                int errno = e.errno().number();
                if (errno != Xattrs.EOPNOTSUPP && !(st.isSymlink() && errno == Errno.EPERM)) {
                    throw e;
                }
            }
        }
        AttrsAt.setTimes(null, dst, st.atimeSec(), st.atimeNsec(), st.mtimeSec(), st.mtimeNsec());
    }

    @Override
    public void close() {
        writer.close();
    }
}
