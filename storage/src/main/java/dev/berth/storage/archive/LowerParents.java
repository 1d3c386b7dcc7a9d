package dev.berth.storage.archive;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.DirFd;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.FileStat;
import dev.berth.sys.Openat2;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Xattrs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gives a directory the layer had to create (it was not in the archive, but an entry below it
 * was) the owner, mode and times it has in the layers beneath, as containerd's applier does: in
 * the merged view overlayfs shows the topmost copy's attributes, so a default 0755 root:root
 * would otherwise change /home/user's owner just because a file in it was deleted.
 *
 * <p>The lookup follows overlay's rules in the lower directories: a whiteout or a non-directory
 * hides what is below, an opaque directory stops the search, and no symlink is followed
 * (openat2 RESOLVE_NO_SYMLINKS), since layer content is untrusted. The same lookup tells
 * {@link OverlayWhiteouts} whether a whiteout has anything to hide.
 */
final class LowerParents implements RootedTree.ParentMaker, AutoCloseable {
    private final List<Path> lowerDirs;
    private final DirTimes times;
    private List<Fd> lowers;

    LowerParents(List<Path> lowerDirs, DirTimes times) {
        this.lowerDirs = lowerDirs;
        this.times = times;
    }

    @Override
    public void made(Fd parent, String name, String path) {
        Optional<FileStat> lower = lookup(path).filter(FileStat::isDirectory);
        if (lower.isEmpty()) {
            AttrsAt.chmod(parent, name, 0755);
            return;
        }
        FileStat st = lower.get();
        AttrsAt.chown(parent, name, st.uid(), st.gid());
        AttrsAt.chmod(parent, name, st.permissions());
        times.add(path, st.atimeSec(), st.atimeNsec(), st.mtimeSec(), st.mtimeNsec());
    }

    /** Whether the layers beneath show anything at {@code path}. */
    boolean exists(String path) {
        return lookup(path).isPresent();
    }

    /** What the merged lower layers show at {@code path}: the topmost copy, unless hidden. */
    private Optional<FileStat> lookup(String path) {
        if (lowers == null) {
            lowers = new ArrayList<>();
            for (Path dir : lowerDirs) {
                lowers.add(DirFd.open(dir));
            }
        }
        EntryPath p = new EntryPath(path);
        for (Fd lower : lowers) {
            Fd dir;
            try {
                dir = Openat2.openDirectoryBeneath(lower, p.parent(), Openat2.RESOLVE_NO_SYMLINKS);
            } catch (Openat2.EscapeException e) {
                return Optional.empty();
            } catch (SyscallException e) {
                if (e.errno().number() == Errno.ENOENT) {
                    continue; // this layer does not have the parent: look deeper
                }
                return Optional.empty(); // ENOTDIR, ELOOP: something here hides the deeper layers
            }
            try (dir) {
                Optional<FileStat> st = AttrsAt.statIfExists(dir, p.name());
                if (st.isPresent()) {
                    return st.get().isOverlayWhiteout() ? Optional.empty() : st;
                }
                if (opaqueOnTheWay(lower, p.parent())) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the root or a directory on the way to {@code dir} is opaque in this layer. */
    private static boolean opaqueOnTheWay(Fd layer, String dir) {
        if (opaque(layer, "")) {
            return true;
        }
        String prefix = "";
        for (String part : dir.isEmpty() ? new String[0] : dir.split("/")) {
            prefix = prefix.isEmpty() ? part : prefix + "/" + part;
            try (Fd d = Openat2.openDirectoryBeneath(layer, prefix, Openat2.RESOLVE_NO_SYMLINKS)) {
                if (opaque(d, "")) {
                    return true;
                }
            } catch (RuntimeException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean opaque(Fd dir, String name) {
        return Xattrs.get(Xattrs.pathAt(dir, name), "trusted.overlay.opaque")
                .map(v -> v.length == 1 && v[0] == 'y').orElse(false);
    }

    @Override
    public void close() {
        if (lowers != null) {
            lowers.forEach(Fd::close);
        }
    }
}
