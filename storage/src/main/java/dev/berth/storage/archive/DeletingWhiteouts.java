package dev.berth.storage.archive;

import dev.berth.storage.InvalidLayerException;
import dev.berth.storage.internal.Trees;
import dev.berth.sys.AttrsAt;
import dev.berth.sys.Fd;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whiteouts applied as deletions, onto a directory that already holds the lower layers (the
 * copying snapshotter). To honour "same layer wins" in any entry order it remembers every path
 * the layer wrote, and the directories above them.
 */
final class DeletingWhiteouts implements Whiteouts {
    private final RootedTree tree;
    private final Set<String> written = new HashSet<>();
    private final Set<String> ancestors = new HashSet<>();

    DeletingWhiteouts(RootedTree tree) {
        this.tree = tree;
    }

    @Override
    public void written(EntryPath path) {
        written.add(path.path());
        for (EntryPath p = new EntryPath(path.parent()); !p.isRoot() && ancestors.add(p.path()); p = new EntryPath(p.parent())) {
            // every directory above a written path is the layer's too
        }
    }

    private boolean ours(String path) {
        return written.contains(path) || ancestors.contains(path);
    }

    @Override
    public void whiteout(EntryPath target, String entry) throws InvalidLayerException {
        Fd parent = tree.directory(target.parent(), entry, null);
        if (parent == null) {
            return; // nothing below to delete
        }
        if (ours(target.path())) {
            // The layer's own directory stays, but what the lower layers had in it goes.
            Optional<FileStat> st = AttrsAt.statIfExists(parent, target.name());
            if (st.isPresent() && st.get().isDirectory()) {
                try (Fd dir = NodesAt.openDirectory(parent, target.name())) {
                    prune(dir, target);
                }
            }
            return;
        }
        tree.forget(target.path());
        Trees.removeAt(parent, target.name());
    }

    @Override
    public void opaque(EntryPath dir, String entry) throws InvalidLayerException {
        if (dir.isRoot()) {
            prune(tree.root(), dir);
            return;
        }
        Fd parent = tree.directory(dir.parent(), entry, null);
        if (parent == null) {
            return;
        }
        Optional<FileStat> st = AttrsAt.statIfExists(parent, dir.name());
        if (st.isPresent() && st.get().isDirectory()) {
            try (Fd fd = NodesAt.openDirectory(parent, dir.name())) {
                prune(fd, dir);
            }
        }
    }

    /** Removes, under {@code dir}, everything the layer did not write. */
    private void prune(Fd dir, EntryPath path) {
        for (String name : Trees.list(dir)) {
            EntryPath child = path.child(name);
            if (!ours(child.path())) {
                tree.forget(child.path());
                Trees.removeAt(dir, name);
            } else if (AttrsAt.stat(dir, name).isDirectory()) {
                try (Fd sub = NodesAt.openDirectory(dir, name)) {
                    prune(sub, child);
                }
            }
        }
    }

    @Override
    public RootedTree.ParentMaker parents() {
        return (parent, name, path) -> AttrsAt.chmod(parent, name, 0755);
    }

    @Override
    public void close() {
    }
}
