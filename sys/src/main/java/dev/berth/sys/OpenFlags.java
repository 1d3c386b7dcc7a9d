package dev.berth.sys;

/**
 * open(2) flag values this package passes. Most are the same on every architecture Berth runs on
 * (asm-generic/fcntl.h); O_DIRECTORY and O_NOFOLLOW are not: arm and arm64 moved them
 * (arch/arm64/include/uapi/asm/fcntl.h).
 */
final class OpenFlags {
    static final int O_RDONLY = 0, O_WRONLY = 01, O_CREAT = 0100, O_EXCL = 0200, O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000, O_PATH = 010000000;
    static final int O_DIRECTORY, O_NOFOLLOW;

    static {
        boolean arm = switch (System.getProperty("os.arch")) {
            case "aarch64", "arm" -> true;
            default -> false;
        };
        O_DIRECTORY = arm ? 040000 : 0200000;
        O_NOFOLLOW = arm ? 0100000 : 0400000;
    }

    /** fcntl.h's *at flags and the cwd pseudo-descriptor. */
    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;

    private OpenFlags() {}

    /** The dirfd argument for {@code dir}: null means relative to the working directory (AT_FDCWD). */
    static int dirfd(Fd dir) {
        return dir == null ? AT_FDCWD : dir.number();
    }
}
