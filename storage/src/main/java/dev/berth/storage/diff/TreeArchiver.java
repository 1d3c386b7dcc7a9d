package dev.berth.storage.diff;

import dev.berth.storage.archive.TarHeader;
import dev.berth.storage.archive.TarWriter;
import dev.berth.sys.FileStat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns nodes of a directory tree into tar entries: type, numeric owner, mode, mtime, xattrs,
 * symlink target, device numbers, content. A regular file with more than one link is stored
 * once; later names of the same inode become hard link entries to the first one archived, as
 * tar(1) does. Sockets are skipped: tar has no type for them (docker skips them too).
 */
final class TreeArchiver {
    private record Inode(int devMajor, int devMinor, long ino) {}

    private final TarWriter tar;
    private final Map<Inode, String> archived = new HashMap<>();

    TreeArchiver(TarWriter tar) {
        this.tar = tar;
    }

    /** Adds {@code file}, archived as {@code name} (relative, no trailing slash), lstat'ed as {@code st}. */
    void add(Path file, String name, FileStat st) throws IOException {
        Map<String, byte[]> xattrs = FileMeta.xattrs(file);
        char type;
        String link = "";
        String entryName = name;
        long size = 0;
        switch (st.type()) {
            case FileStat.S_IFDIR -> {
                type = TarHeader.DIRECTORY;
                entryName = name + "/";
            }
            case FileStat.S_IFLNK -> {
                type = TarHeader.SYMLINK;
                link = Files.readSymbolicLink(file).toString();
            }
            case FileStat.S_IFREG -> {
                Inode inode = new Inode(st.devMajor(), st.devMinor(), st.ino());
                String first = st.nlink() > 1 ? archived.get(inode) : null;
                if (first != null) {
                    type = TarHeader.HARDLINK;
                    link = first;
                } else {
                    type = TarHeader.FILE;
                    size = st.size();
                    if (st.nlink() > 1) {
                        archived.put(inode, name);
                    }
                }
            }
            case FileStat.S_IFCHR -> type = TarHeader.CHAR_DEVICE;
            case FileStat.S_IFBLK -> type = TarHeader.BLOCK_DEVICE;
            case FileStat.S_IFIFO -> type = TarHeader.FIFO;
            default -> {
                return;
            }
        }
        TarHeader h = new TarHeader(entryName, type, st.permissions(), Integer.toUnsignedLong(st.uid()),
                Integer.toUnsignedLong(st.gid()), size, st.mtimeSec(), link, st.rdevMajor(), st.rdevMinor(), xattrs);
        if (type == TarHeader.FILE && size > 0) {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                tar.add(h, in);
            }
        } else {
            tar.add(h, null);
        }
    }

    /** A whiteout entry, {@code dir/.wh.name}, for a deleted {@code name}. */
    void whiteout(String dir, String name, long mtimeSec) throws IOException {
        tar.add(TarHeader.marker(FileMeta.join(dir, ".wh." + name), 0, 0, mtimeSec), null);
    }

    /** The opaque marker {@code dir/.wh..wh..opq}. */
    void opaque(String dir, long mtimeSec) throws IOException {
        tar.add(TarHeader.marker(FileMeta.join(dir, ".wh..wh..opq"), 0, 0, mtimeSec), null);
    }
}
