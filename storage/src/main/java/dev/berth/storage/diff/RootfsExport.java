package dev.berth.storage.diff;

import dev.berth.storage.archive.TarWriter;
import dev.berth.sys.FileStat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code docker export}: a whole filesystem tree (a container's merged view) as one tar, every
 * entry with its owner, mode, mtime and xattrs, hard links kept, no whiteouts. The root itself
 * is not an entry, as in docker's output.
 */
public final class RootfsExport {
    private RootfsExport() {}

    /** Writes the tree under {@code root} to {@code out} (left open); returns the tar's length. */
    public static long write(Path root, OutputStream out) throws IOException {
        DigestingOutputStream counted = new DigestingOutputStream(out);
        TarWriter tar = new TarWriter(counted);
        walk(new TreeArchiver(tar), root, "");
        tar.finish();
        return counted.count();
    }

    private static void walk(TreeArchiver archiver, Path root, String dir) throws IOException {
        for (String name : DiffTar.names(dir.isEmpty() ? root : root.resolve(dir))) {
            String path = FileMeta.join(dir, name);
            Path file = root.resolve(path);
            Optional<FileStat> st = FileMeta.lstat(file);
            if (st.isEmpty()) {
                continue;
            }
            archiver.add(file, path, st.get());
            if (st.get().isDirectory()) {
                walk(archiver, root, path);
            }
        }
    }
}
