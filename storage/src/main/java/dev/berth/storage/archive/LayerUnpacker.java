package dev.berth.storage.archive;

import dev.berth.sys.AtomicFile;
import dev.berth.storage.internal.Trees;
import dev.berth.sys.DirFd;
import dev.berth.sys.Fd;
import dev.berth.sys.Sync;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Unpacks a layer into a directory that appears whole or not at all: the archive goes into a
 * hidden sibling first, which is synced (syncfs, one flush for the whole layer) and renamed onto
 * the target only when every entry applied and the digest matched. A truncated, corrupt or unsafe
 * archive leaves no directory behind.
 */
public final class LayerUnpacker {
    private LayerUnpacker() {}

    /**
     * Unpacks {@code blob} into {@code target}, which must not exist yet; {@code mediaType} may be
     * null (the magic bytes decide). On any failure nothing is left at {@code target} or beside it.
     */
    public static ApplyResult unpack(InputStream blob, String mediaType, Path target, ApplyOptions options)
            throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(abs.toString(), null, "layer target already exists");
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + abs.getFileName() + ".unpacking-" + UUID.randomUUID());
        Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        boolean done = false;
        try {
            // The layer's root entry, if any, sets the mode; a layer without one gets a usual root.
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            ApplyResult result = LayerApplier.apply(blob, mediaType, tmp, options);
            try (Fd fd = DirFd.open(tmp)) {
                Sync.syncfs(fd);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            AtomicFile.syncDirectory(parent);
            done = true;
            return result;
        } finally {
            if (!done) {
                Trees.remove(tmp);
            }
        }
    }
}
