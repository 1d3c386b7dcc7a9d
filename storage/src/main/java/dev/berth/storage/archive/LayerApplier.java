package dev.berth.storage.archive;

import dev.berth.oci.image.Digest;
import dev.berth.storage.InvalidLayerException;
import dev.berth.storage.UnsafeEntryException;
import dev.berth.storage.internal.Trees;
import dev.berth.sys.AttrsAt;
import dev.berth.sys.DevNumbers;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.FdWriter;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import dev.berth.sys.Openat2;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Applies one layer archive (image-spec layer.md) onto a directory that exists: regular files,
 * directories, symlinks, hard links within the tree, character and block devices, fifos, numeric
 * ownership, modes with setuid/setgid/sticky, xattrs, and times (directories' last, symlinks'
 * own), whiteouts as {@link WhiteoutMode} says.
 *
 * <p>Safety: each entry's name is cleaned ({@link EntryPath}: "/" and ".." that climb out are
 * refused), its parent directory is opened beneath the root with openat2 RESOLVE_BENEATH (a
 * symlink that leads out is refused), and the entry is created with a *at call that never
 * follows its last component. A hard link's target goes through the same checks. A refused entry
 * stops the apply with {@link UnsafeEntryException} before anything is written for it.
 *
 * <p>This writes into {@code root} as it goes; {@link LayerUnpacker} is the entry point that
 * leaves nothing behind when an archive turns out bad.
 */
public final class LayerApplier {
    private LayerApplier() {}

    /**
     * Applies {@code blob} (tar, tar+gzip or tar+zstd; {@code mediaType} may be null) onto
     * directory {@code root}.
     */
    public static ApplyResult apply(InputStream blob, String mediaType, Path root, ApplyOptions options) throws IOException {
        DirTimes times = new DirTimes();
        NodeMetadata metadata = new NodeMetadata();
        try (TarSource tar = TarSource.open(blob, mediaType);
             RootedTree tree = new RootedTree(root);
             FdWriter writer = new FdWriter();
             Whiteouts whiteouts = Whiteouts.of(options, tree, times)) {
            Run run = new Run(tar, tree, writer, whiteouts, times, metadata);
            TarArchiveEntry e;
            while ((e = tar.next()) != null) {
                run.entry(e);
            }
            times.apply(tree);
            Digest diffId = tar.finish();
            if (options.expectedDiffId() != null && !options.expectedDiffId().equals(diffId)) {
                throw new InvalidLayerException("layer diffID mismatch: expected " + options.expectedDiffId() + ", got " + diffId);
            }
            return new ApplyResult(diffId, tar.size(), metadata.ignoredXattrs());
        } catch (Openat2.EscapeException e) {
            throw new UnsafeEntryException(e.path(), "resolves outside the layer root", e);
        }
    }

    /** The state of one apply. */
    private record Run(TarSource tar, RootedTree tree, FdWriter writer, Whiteouts whiteouts, DirTimes times,
                       NodeMetadata metadata) {

        void entry(TarArchiveEntry e) throws IOException {
            String entry = e.getName();
            EntryPath path = EntryPath.of(entry, entry);
            if (path.isRoot()) {
                root(e);
                return;
            }
            String name = path.name();
            if (name.startsWith(Whiteouts.PREFIX)) {
                EntryPath dir = new EntryPath(path.parent());
                if (name.equals(Whiteouts.OPAQUE)) {
                    whiteouts.opaque(dir, entry);
                } else if (!name.startsWith(Whiteouts.META_PREFIX)) {
                    whiteouts.whiteout(dir.child(name.substring(Whiteouts.PREFIX.length())), entry);
                }
                return;
            }
            Kind kind = Kind.of(e);
            Fd parent = tree.directory(path.parent(), entry, whiteouts.parents());
            if (kind == Kind.HARDLINK) {
                link(e, path, parent);
                whiteouts.written(path);
                return;
            }
            Optional<FileStat> existing = AttrsAt.statIfExists(parent, name);
            boolean merge = kind == Kind.DIRECTORY && existing.isPresent() && existing.get().isDirectory();
            if (existing.isPresent() && !merge) {
                remove(parent, path, existing.get());
            }
            create(kind, e, parent, name, merge);
            if (whiteouts instanceof OverlayWhiteouts overlay && kind == Kind.DIRECTORY && existing.isPresent()
                    && existing.get().isOverlayWhiteout()) {
                overlay.replacedWhiteoutWithDirectory(parent, name);
            }
            whiteouts.written(path);
            if (kind == Kind.FILE) {
                metadata.xattrs(parent, name, tar.xattrs()); // owner and mode were set through its descriptor
            } else {
                metadata.apply(parent, name, e, tar.xattrs(), kind == Kind.SYMLINK);
            }
            long[] t = NodeMetadata.times(e);
            if (kind == Kind.DIRECTORY) {
                times.add(path.path(), t[0], (int) t[1], t[2], (int) t[3]);
            } else {
                AttrsAt.setTimes(parent, name, t[0], (int) t[1], t[2], (int) t[3]);
            }
        }

        private void root(TarArchiveEntry e) throws InvalidLayerException {
            if (!e.isDirectory()) {
                throw new InvalidLayerException("layer entry \"" + e.getName() + "\" names the root but is not a directory");
            }
            metadata.applyToRoot(tree, e, tar.xattrs());
            long[] t = NodeMetadata.times(e);
            times.add("", t[0], (int) t[1], t[2], (int) t[3]);
        }

        private void remove(Fd parent, EntryPath path, FileStat existing) {
            if (existing.isDirectory()) {
                tree.forget(path.path());
                Trees.removeAt(parent, path.name());
            } else {
                NodesAt.unlink(parent, path.name());
            }
        }

        private void create(Kind kind, TarArchiveEntry e, Fd parent, String name, boolean merge) throws IOException {
            switch (kind) {
                case DIRECTORY -> {
                    if (!merge) {
                        NodesAt.mkdir(parent, name, 0700);
                    }
                }
                case FILE -> {
                    try (Fd fd = NodesAt.create(parent, name, 0600)) {
                        writer.transfer(tar.content(), fd);
                        metadata.ownerAndMode(fd, e);
                    }
                }
                case SYMLINK -> NodesAt.symlink(e.getLinkName(), parent, name);
                case CHAR_DEVICE -> NodesAt.mknod(parent, name, FileStat.S_IFCHR | 0600,
                        DevNumbers.makedev(e.getDevMajor(), e.getDevMinor()));
                case BLOCK_DEVICE -> NodesAt.mknod(parent, name, FileStat.S_IFBLK | 0600,
                        DevNumbers.makedev(e.getDevMajor(), e.getDevMinor()));
                case FIFO -> NodesAt.mknod(parent, name, FileStat.S_IFIFO | 0600, 0);
                case HARDLINK -> throw new IllegalStateException("hard links are made by link()");
            }
        }

        /**
         * A hard link to an entry already in the tree. The target is cleaned and resolved like
         * any entry; one outside the root is refused, one that does not exist fails. The link
         * shares its target's inode, so the header's metadata is not applied again.
         */
        private void link(TarArchiveEntry e, EntryPath path, Fd parent) throws IOException {
            String entry = e.getName();
            EntryPath target = EntryPath.of(e.getLinkName(), entry);
            if (target.equals(path)) {
                return;
            }
            if (target.isRoot()) {
                throw new UnsafeEntryException(entry, "hard link to the layer root");
            }
            Fd targetParent = tree.directory(target.parent(), entry, null);
            Optional<FileStat> st = targetParent == null ? Optional.empty() : AttrsAt.statIfExists(targetParent, target.name());
            if (st.isEmpty()) {
                throw new InvalidLayerException("layer entry \"" + entry + "\": hard link target \"" + e.getLinkName()
                        + "\" is not in the layer");
            }
            if (st.get().isDirectory()) {
                throw new InvalidLayerException("layer entry \"" + entry + "\": hard link to a directory");
            }
            Optional<FileStat> existing = AttrsAt.statIfExists(parent, path.name());
            if (existing.isPresent()) {
                if (existing.get().ino() == st.get().ino() && existing.get().devMajor() == st.get().devMajor()
                        && existing.get().devMinor() == st.get().devMinor()) {
                    return; // already this inode
                }
                remove(parent, path, existing.get());
                targetParent = tree.directory(target.parent(), entry, null); // the removal may have dropped it
                if (targetParent == null) {
                    throw new InvalidLayerException("layer entry \"" + entry + "\": hard link target \""
                            + e.getLinkName() + "\" was removed by the entry itself");
                }
            }
            try {
                NodesAt.link(targetParent, target.name(), parent, path.name());
            } catch (SyscallException ex) {
                if (ex.errno().number() == Errno.EPERM) {
                    throw new InvalidLayerException("layer entry \"" + entry + "\": the kernel refused the hard link to \""
                            + e.getLinkName() + "\" (" + ex.getMessage() + ")", ex);
                }
                throw ex;
            }
        }
    }

    /** The node types a layer may hold. */
    private enum Kind {
        FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO;

        static Kind of(TarArchiveEntry e) throws InvalidLayerException {
            if (e.isDirectory()) {
                return DIRECTORY;
            }
            if (e.isSymbolicLink()) {
                return SYMLINK;
            }
            if (e.isLink()) {
                return HARDLINK;
            }
            if (e.isCharacterDevice()) {
                return CHAR_DEVICE;
            }
            if (e.isBlockDevice()) {
                return BLOCK_DEVICE;
            }
            if (e.isFIFO()) {
                return FIFO;
            }
            byte flag = e.getLinkFlag();
            if (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG
                    || e.isSparse()) {
                return FILE;
            }
            throw new InvalidLayerException("layer entry \"" + e.getName() + "\" has tar type '" + (char) flag
                    + "', which a layer cannot hold");
        }
    }
}
