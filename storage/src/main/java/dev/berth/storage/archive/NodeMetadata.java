package dev.berth.storage.archive;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.SyscallException;
import dev.berth.sys.Xattrs;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Ownership, mode, xattrs and times of one created node, from its tar header. The order is the
 * kernel's: chown(2) clears setuid/setgid, and clears security.capability (commoncap's
 * inode_killpriv), so the mode and the xattrs come after it; times come last because setting an
 * xattr changes ctime only, but writing content would change mtime.
 */
final class NodeMetadata {
    /**
     * xattr namespaces a layer may not set: overlayfs reads its own state from them
     * (Documentation/filesystems/overlayfs.rst: redirect, metacopy, origin, opaque), and a layer
     * that set them could point a lookup at arbitrary paths in other layers.
     */
    private static final String[] REFUSED = {"trusted.overlay.", "user.overlay."};

    private int ignoredXattrs;

    int ignoredXattrs() {
        return ignoredXattrs;
    }

    /** Owner, mode (not for symlinks, which have none on Linux) and xattrs of {@code name} in {@code parent}. */
    void apply(Fd parent, String name, TarArchiveEntry e, Map<String, byte[]> xattrs, boolean symlink) {
        AttrsAt.chown(parent, name, (int) e.getLongUserId(), (int) e.getLongGroupId());
        if (!symlink) {
            AttrsAt.chmod(parent, name, e.getMode() & 07777);
        }
        xattrs(Xattrs.pathAt(parent, name), xattrs, symlink);
    }

    /**
     * Owner and mode of a regular file just written, through its open descriptor (fchown(2),
     * fchmod(2): two system calls, no lookup, as tar does); its xattrs come after, by name, with
     * {@link #xattrs(Fd, String, Map)}.
     */
    void ownerAndMode(Fd file, TarArchiveEntry e) {
        AttrsAt.fchown(file, (int) e.getLongUserId(), (int) e.getLongGroupId());
        AttrsAt.fchmod(file, e.getMode() & 07777);
    }

    /** The xattrs of {@code name} in {@code parent}, a regular file whose owner and mode are set. */
    void xattrs(Fd parent, String name, Map<String, byte[]> xattrs) {
        if (!xattrs.isEmpty()) {
            xattrs(Xattrs.pathAt(parent, name), xattrs, false);
        }
    }

    /** The same for the root directory, which has no parent to name it from. */
    void applyToRoot(RootedTree tree, TarArchiveEntry e, Map<String, byte[]> xattrs) {
        AttrsAt.chown(tree.root(), "", (int) e.getLongUserId(), (int) e.getLongGroupId());
        AttrsAt.chmod(null, tree.path().toAbsolutePath().toString(), e.getMode() & 07777);
        xattrs(Xattrs.pathAt(tree.root(), ""), xattrs, false);
    }

    private void xattrs(String path, Map<String, byte[]> xattrs, boolean symlink) {
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            if (refused(x.getKey())) {
                ignoredXattrs++;
                continue;
            }
            try {
                Xattrs.set(path, x.getKey(), x.getValue());
            } catch (SyscallException ex) {
                int errno = ex.errno().number();
                // EOPNOTSUPP: the filesystem keeps no xattrs of this namespace (containerd and docker
                // skip these too). EPERM on a symlink: user.* is not allowed on symlinks (xattr(7)).
                if (errno == Xattrs.EOPNOTSUPP || (symlink && errno == Errno.EPERM)) {
                    ignoredXattrs++;
                } else {
                    throw ex;
                }
            }
        }
    }

    private static boolean refused(String name) {
        for (String prefix : REFUSED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The entry's access time (PAX atime when present, else its mtime) and modification time. */
    static long[] times(TarArchiveEntry e) {
        Instant m = e.getLastModifiedTime() == null ? Instant.EPOCH : e.getLastModifiedTime().toInstant();
        FileTime at = e.getLastAccessTime();
        Instant a = at == null ? m : at.toInstant();
        return new long[] {a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano()};
    }

    static void setTimes(Fd parent, String name, TarArchiveEntry e) {
        long[] t = times(e);
        AttrsAt.setTimes(parent, name, t[0], (int) t[1], t[2], (int) t[3]);
    }
}
