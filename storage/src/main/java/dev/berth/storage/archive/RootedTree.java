package dev.berth.storage.archive;

import dev.berth.storage.InvalidLayerException;
import dev.berth.storage.UnsafeEntryException;
import dev.berth.sys.DirFd;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.NodesAt;
import dev.berth.sys.Openat2;
import dev.berth.sys.SyscallException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The directory a layer is written into, held open, and its subdirectories opened beneath it
 * with openat2(RESOLVE_BENEATH): a parent path that would leave the root, through "..", an
 * absolute symlink or a relative one that climbs out, is refused by the kernel and reported as
 * an {@link UnsafeEntryException}. Entries are then created with *at calls on the opened parent
 * and a single-component name.
 *
 * <p>Opened directories are kept in a small LRU cache (archives list a directory's entries
 * together), so a descriptor handed out stays valid until {@value #CACHED} other directories have
 * been asked for, or until {@link #forget} drops a path it lies under.
 */
final class RootedTree implements AutoCloseable {
    private static final int CACHED = 16;

    /** Called for each directory created because an entry needed it as a parent. */
    @FunctionalInterface
    interface ParentMaker {
        void made(Fd parent, String name, String path);
    }

    private final Path root;
    private final Fd rootFd;
    private final Map<String, Fd> open = new LinkedHashMap<>(CACHED, 0.75f, true);

    RootedTree(Path root) {
        this.root = root;
        this.rootFd = DirFd.open(root);
    }

    Path path() {
        return root;
    }

    Fd root() {
        return rootFd;
    }

    /**
     * Directory {@code path} ("" is the root) opened beneath the root, or null when it does not
     * exist or is not a directory and {@code maker} is null. With a maker, missing directories
     * are created (0755) and reported to it; a component that exists as a non-directory fails.
     *
     * @param entry the archive entry this is for, named in errors
     */
    Fd directory(String path, String entry, ParentMaker maker) throws InvalidLayerException {
        if (path.isEmpty()) {
            return rootFd;
        }
        Fd fd = open.get(path);
        if (fd != null) {
            return fd;
        }
        try {
            fd = Openat2.openDirectoryBeneath(rootFd, path);
        } catch (Openat2.EscapeException e) {
            throw escape(entry, path, e);
        } catch (SyscallException e) {
            int errno = e.errno().number();
            if (errno != Errno.ENOENT && errno != Errno.ENOTDIR) {
                throw e;
            }
            if (maker == null) {
                return null;
            }
            if (errno == Errno.ENOTDIR) {
                throw new InvalidLayerException("layer entry \"" + entry + "\": a parent of it is not a directory");
            }
            fd = create(path, entry, maker);
        }
        remember(path, fd);
        return fd;
    }

    /** Creates each missing component of {@code path}, resolving every prefix from the root again. */
    private Fd create(String path, String entry, ParentMaker maker) throws InvalidLayerException {
        String[] parts = path.split("/");
        Fd parent = rootFd;
        String prefix = "";
        try {
            for (String part : parts) {
                String next = prefix.isEmpty() ? part : prefix + "/" + part;
                Fd fd = tryOpen(next, entry);
                if (fd == null) {
                    try {
                        NodesAt.mkdir(parent, part, 0755);
                    } catch (SyscallException e) {
                        if (e.errno().number() != Errno.EEXIST) {
                            throw e;
                        }
                    }
                    maker.made(parent, part, next);
                    fd = tryOpen(next, entry);
                    if (fd == null) {
                        throw new InvalidLayerException("layer entry \"" + entry + "\": could not create parent " + next);
                    }
                }
                if (parent != rootFd) {
                    parent.close();
                }
                parent = fd;
                prefix = next;
            }
            return parent;
        } catch (InvalidLayerException | RuntimeException e) {
            if (parent != rootFd) {
                parent.close();
            }
            throw e;
        }
    }

    private Fd tryOpen(String path, String entry) throws InvalidLayerException {
        try {
            return Openat2.openDirectoryBeneath(rootFd, path);
        } catch (Openat2.EscapeException e) {
            throw escape(entry, path, e);
        } catch (SyscallException e) {
            if (e.errno().number() == Errno.ENOENT) {
                return null;
            }
            if (e.errno().number() == Errno.ENOTDIR) {
                throw new InvalidLayerException("layer entry \"" + entry + "\": " + path + " is not a directory");
            }
            throw e;
        }
    }

    /** Names are clean of ".." by now (EntryPath), so what led out is a symlink on the way. */
    private static UnsafeEntryException escape(String entry, String dir, Openat2.EscapeException e) {
        return new UnsafeEntryException(entry, "directory \"" + dir + "\" resolves outside the layer root (a symlink on the way leads out)", e);
    }

    private void remember(String path, Fd fd) {
        open.put(path, fd);
        if (open.size() > CACHED) {
            Iterator<Map.Entry<String, Fd>> eldest = open.entrySet().iterator();
            eldest.next().getValue().close();
            eldest.remove();
        }
    }

    /** Closes and drops every cached directory at or under {@code path}, which is being removed or replaced. */
    void forget(String path) {
        String below = path + "/";
        open.entrySet().removeIf(e -> {
            if (path.isEmpty() || e.getKey().equals(path) || e.getKey().startsWith(below)) {
                e.getValue().close();
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        open.values().forEach(Fd::close);
        open.clear();
        rootFd.close();
    }
}
