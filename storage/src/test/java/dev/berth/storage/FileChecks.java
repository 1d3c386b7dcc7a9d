package dev.berth.storage;

import dev.berth.sys.AttrsAt;
import dev.berth.sys.FileStat;
import dev.berth.sys.Xattrs;
import java.nio.file.Path;
import java.util.Optional;

/** Short forms of lstat and lgetxattr for assertions. */
public final class FileChecks {
    private FileChecks() {}

    public static FileStat lstat(Path p) {
        return AttrsAt.lstat(p.toString());
    }

    public static boolean exists(Path p) {
        return AttrsAt.statIfExists(null, p.toString()).isPresent();
    }

    public static Optional<byte[]> xattr(Path p, String name) {
        return Xattrs.get(p.toString(), name);
    }
}
