package dev.berth.storage.diff;

import dev.berth.sys.FileStat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The changes between two full trees, for the copying snapshotter: a name only in the new tree
 * was added (and so was all beneath it), a name only in the old one was deleted, a name in both
 * changed if its type, owner, mode, size, mtime, device number, symlink target or xattrs differ.
 * Content is not compared byte by byte: the copy keeps mtimes to the nanosecond, and any write
 * moves them, as docker's naive differ assumes too.
 */
final class TreeChanges {
    private final Path base;
    private final Path tree;
    private final ChangeSet changes = new ChangeSet();

    private TreeChanges(Path base, Path tree) {
        this.base = base;
        this.tree = tree;
    }

    static List<Change> of(DiffSource.TwoTrees source) throws IOException {
        TreeChanges c = new TreeChanges(source.base(), source.tree());
        c.walk("");
        return c.changes.list();
    }

    private void walk(String dir) throws IOException {
        Set<String> names = new TreeSet<>();
        list(tree, dir, names);
        if (base != null) {
            list(base, dir, names);
        }
        for (String name : names) {
            String path = FileMeta.join(dir, name);
            Optional<FileStat> now = FileMeta.lstat(tree.resolve(path));
            Optional<FileStat> before = base == null ? Optional.empty() : FileMeta.lstat(base.resolve(path));
            if (now.isEmpty()) {
                changes.add(Change.Kind.DELETED, path);
            } else if (before.isEmpty()) {
                changes.add(Change.Kind.ADDED, path);
                if (now.get().isDirectory()) {
                    added(path);
                }
            } else if (now.get().isDirectory() && before.get().isDirectory()) {
                if (attributesDiffer(before.get(), now.get(), path)) {
                    changes.add(Change.Kind.CHANGED, path);
                }
                walk(path);
            } else if (differs(before.get(), now.get(), path)) {
                changes.add(Change.Kind.CHANGED, path);
                if (now.get().isDirectory()) {
                    added(path);
                }
            }
        }
    }

    /** Everything beneath a new directory is new. */
    private void added(String dir) throws IOException {
        Set<String> names = new TreeSet<>();
        list(tree, dir, names);
        for (String name : names) {
            String path = FileMeta.join(dir, name);
            changes.add(Change.Kind.ADDED, path);
            Optional<FileStat> st = FileMeta.lstat(tree.resolve(path));
            if (st.isPresent() && st.get().isDirectory()) {
                added(path);
            }
        }
    }

    private static void list(Path root, String dir, Set<String> into) throws IOException {
        Path d = dir.isEmpty() ? root : root.resolve(dir);
        Optional<FileStat> st = FileMeta.lstat(d);
        if (st.isEmpty() || !st.get().isDirectory()) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            s.forEach(p -> into.add(p.getFileName().toString()));
        }
    }

    private boolean attributesDiffer(FileStat a, FileStat b, String path) {
        return a.mode() != b.mode() || a.uid() != b.uid() || a.gid() != b.gid()
                || a.mtimeSec() != b.mtimeSec() || a.mtimeNsec() != b.mtimeNsec()
                || !FileMeta.sameXattrs(FileMeta.xattrs(base.resolve(path)), FileMeta.xattrs(tree.resolve(path)));
    }

    private boolean differs(FileStat a, FileStat b, String path) throws IOException {
        if (attributesDiffer(a, b, path) || a.size() != b.size()
                || a.rdevMajor() != b.rdevMajor() || a.rdevMinor() != b.rdevMinor()) {
            return true;
        }
        return a.isSymlink() && !Files.readSymbolicLink(base.resolve(path)).equals(Files.readSymbolicLink(tree.resolve(path)));
    }
}
