package dev.berth.storage.internal;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.DirFd;
import dev.berth.sys.Errno;
import dev.berth.sys.Fd;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import dev.berth.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Listing and removing directory trees by descriptor: every step opens the next directory with
 * O_NOFOLLOW relative to the one before, so a symlink inside the tree is removed, never followed,
 * and a tree that holds untrusted layer content cannot make a removal reach outside it.
 */
public final class Trees {
    private Trees() {}

    /** The names in directory {@code dir}, sorted (read through the /proc/self/fd magic link). */
    public static List<String> list(Fd dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(Path.of("/proc/self/fd/" + dir.number()))) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Collections.sort(names);
        return names;
    }

    /** Removes {@code name} in {@code parent}, and everything under it if it is a directory. */
    public static void removeAt(Fd parent, String name) {
        FileStat st;
        try {
            st = AttrsAt.stat(parent, name);
        } catch (SyscallException e) {
            if (e.errno().number() == Errno.ENOENT) {
                return;
            }
            throw e;
        }
        if (st.isDirectory()) {
            try (Fd dir = NodesAt.openDirectory(parent, name)) {
                for (String child : list(dir)) {
                    removeAt(dir, child);
                }
            }
            NodesAt.rmdir(parent, name);
        } else {
            NodesAt.unlink(parent, name);
        }
    }

    /** Removes everything inside directory {@code dir}, keeping dir itself. */
    public static void emptyAt(Fd dir) {
        for (String child : list(dir)) {
            removeAt(dir, child);
        }
    }

    /** Removes {@code path} and what is under it; nothing happens if it does not exist. */
    public static void remove(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || !Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Fd dir = DirFd.open(parent)) {
            removeAt(dir, abs.getFileName().toString());
        } catch (SyscallException e) {
            throw new IOException("remove " + abs + ": " + e.getMessage(), e);
        }
    }
}
