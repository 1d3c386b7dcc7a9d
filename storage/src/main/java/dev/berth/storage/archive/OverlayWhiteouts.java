package dev.berth.storage.archive;

import dev.berth.storage.InvalidLayerException;
import dev.berth.sys.AttrsAt;
import dev.berth.sys.Fd;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import dev.berth.sys.Xattrs;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Whiteouts as overlayfs stores them in a layer directory (Documentation/filesystems/overlayfs.rst,
 * "Whiteouts and opaque directories"): "A whiteout is created as a character device with 0/0
 * device number", "A directory is made opaque by setting the xattr trusted.overlay.opaque to y".
 */
final class OverlayWhiteouts implements Whiteouts {
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final byte[] YES = "y".getBytes(StandardCharsets.US_ASCII);

    private final RootedTree tree;
    private final LowerParents parents;

    OverlayWhiteouts(RootedTree tree, LowerParents parents) {
        this.tree = tree;
        this.parents = parents;
    }

    @Override
    public void whiteout(EntryPath target, String entry) throws InvalidLayerException {
        Fd existingParent = tree.directory(target.parent(), entry, null);
        if (!parents.exists(target.path())) {
            // Nothing below to hide. overlayfs lists a whiteout in a directory that is not merged
            // with a lower one (readdir of a "real" dir passes it through) while lookup says
            // ENOENT, so a needless one would show as a name that cannot be opened.
            if (existingParent != null) {
                sameLayer(existingParent, target);
            }
            return;
        }
        Fd parent = existingParent != null ? existingParent : tree.directory(target.parent(), entry, parents);
        if (AttrsAt.statIfExists(parent, target.name()).isEmpty()) {
            NodesAt.mknod(parent, target.name(), FileStat.S_IFCHR, 0);
        } else {
            sameLayer(parent, target);
        }
    }

    /**
     * The layer has {@code target} itself: it stays visible, whiteout or not; a directory of its
     * own keeps showing nothing of a lower one.
     */
    private static void sameLayer(Fd parent, EntryPath target) {
        Optional<FileStat> existing = AttrsAt.statIfExists(parent, target.name());
        if (existing.isPresent() && existing.get().isDirectory()) {
            Xattrs.set(Xattrs.pathAt(parent, target.name()), OPAQUE_XATTR, YES);
        }
    }

    @Override
    public void opaque(EntryPath dir, String entry) throws InvalidLayerException {
        if (dir.isRoot()) {
            Xattrs.set(Xattrs.pathAt(tree.root(), ""), OPAQUE_XATTR, YES);
            return;
        }
        Fd parent = tree.directory(dir.parent(), entry, parents);
        Optional<FileStat> existing = AttrsAt.statIfExists(parent, dir.name());
        if (existing.isEmpty()) {
            NodesAt.mkdir(parent, dir.name(), 0755);
            parents.made(parent, dir.name(), dir.path());
        } else if (!existing.get().isDirectory()) {
            return; // the layer replaced the directory with a file: nothing to make opaque
        }
        Xattrs.set(Xattrs.pathAt(parent, dir.name()), OPAQUE_XATTR, YES);
    }

    /** A directory that replaces a whiteout of the same layer must hide the lower one it replaces. */
    void replacedWhiteoutWithDirectory(Fd parent, String name) {
        Xattrs.set(Xattrs.pathAt(parent, name), OPAQUE_XATTR, YES);
    }

    @Override
    public void written(EntryPath path) {
    }

    @Override
    public RootedTree.ParentMaker parents() {
        return parents;
    }

    @Override
    public void close() {
        parents.close();
    }
}
