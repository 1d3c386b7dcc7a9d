package dev.berth.image.archive;

import dev.berth.sys.AtomicFile;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * A layout as a directory. Blob files are content-addressed, so one already there with the right
 * size is kept; new ones are written to a temp name and renamed, and metadata files atomically, so
 * an interrupted write never leaves a torn blob or index.
 */
final class DirectorySink implements LayoutSink {
    private final Path root;

    DirectorySink(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    @Override
    public boolean contains(Digest digest) {
        return Files.isRegularFile(root.resolve(OciLayout.blobPath(digest)));
    }

    @Override
    public void blob(Digest digest, long size, Content content) throws IOException {
        Path target = root.resolve(OciLayout.blobPath(digest));
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            return;
        }
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + digest.encoded() + "." + UUID.randomUUID() + AtomicFile.TEMP_SUFFIX);
        try {
            try (InputStream in = content.open()) {
                Files.copy(in, tmp);
            }
            if (Files.size(tmp) != size) {
                throw new IOException(digest + ": expected " + size + " bytes, wrote " + Files.size(tmp));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public void file(String path, byte[] content) throws IOException {
        AtomicFile.write(root.resolve(path), content);
    }

    @Override
    public void close() throws IOException {
        AtomicFile.syncDirectory(root);
    }
}
