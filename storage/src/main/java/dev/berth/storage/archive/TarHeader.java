package dev.berth.storage.archive;

import java.util.Map;

/**
 * One entry for {@link TarWriter}: what a tar header says about a file (POSIX.1-2001 pax, the
 * ustar header plus extended records).
 *
 * @param name     relative path, directories ending in "/"
 * @param type     ustar typeflag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block
 *                 device, '5' directory, '6' fifo
 * @param mode     permission bits with setuid, setgid and sticky (07777)
 * @param linkName symlink target or hard link target ("" otherwise)
 * @param xattrs   extended attributes, values as raw bytes
 */
public record TarHeader(String name, char type, int mode, long uid, long gid, long size, long mtimeSec,
                        String linkName, int devMajor, int devMinor, Map<String, byte[]> xattrs) {
    public static final char FILE = '0', HARDLINK = '1', SYMLINK = '2', CHAR_DEVICE = '3', BLOCK_DEVICE = '4',
            DIRECTORY = '5', FIFO = '6';

    public TarHeader {
        xattrs = Map.copyOf(xattrs);
        linkName = linkName == null ? "" : linkName;
    }

    /** An empty regular file: what a whiteout or an opaque marker is in a layer. */
    public static TarHeader marker(String name, long uid, long gid, long mtimeSec) {
        return new TarHeader(name, FILE, 0, uid, gid, 0, mtimeSec, "", 0, 0, Map.of());
    }
}
