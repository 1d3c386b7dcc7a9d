package dev.berth.sys;

/**
 * What statx(2) says about one file, not following a symlink at the last component. {@code mode}
 * holds the type bits (S_IFMT) and the permission bits; devices keep their numbers split as the
 * kernel reports them. Times are seconds and nanoseconds since the epoch.
 */
public record FileStat(int mode, int uid, int gid, long nlink, long ino, int devMajor, int devMinor,
                       int rdevMajor, int rdevMinor, long size, long blocks,
                       long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec) {
    /** sys/stat.h file type bits. */
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 060000, S_IFDIR = 040000, S_IFCHR = 020000, S_IFIFO = 010000;

    public int type() {
        return mode & S_IFMT;
    }

    /** The permission bits with setuid, setgid and sticky (07777). */
    public int permissions() {
        return mode & 07777;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegularFile() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    public boolean isCharDevice() {
        return type() == S_IFCHR;
    }

    public boolean isBlockDevice() {
        return type() == S_IFBLK;
    }

    public boolean isFifo() {
        return type() == S_IFIFO;
    }

    /**
     * An overlayfs whiteout: a character device with device number 0/0
     * (Documentation/filesystems/overlayfs.rst, "whiteouts and opaque directories").
     */
    public boolean isOverlayWhiteout() {
        return isCharDevice() && rdevMajor == 0 && rdevMinor == 0;
    }
}
