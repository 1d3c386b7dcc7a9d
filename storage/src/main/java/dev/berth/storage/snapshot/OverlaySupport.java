package dev.berth.storage.snapshot;

import dev.berth.storage.internal.Trees;
import dev.berth.sys.FileStat;
import dev.berth.sys.NodesAt;
import dev.berth.sys.StatFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Whether overlayfs works with its layers under a given directory, found the way docker's
 * overlay2 finds it: by mounting a small overlay there (two lowers, one holding a whiteout, an
 * upper and a workdir) and looking through it. Picks the snapshotter for a data root.
 */
public final class OverlaySupport {
    private OverlaySupport() {}

    /** Empty when overlay works under {@code root}; otherwise why not. */
    public static Optional<String> problem(Path root) {
        try {
            Files.createDirectories(root);
            if (StatFs.type(root.toString()) == StatFs.OVERLAYFS_SUPER_MAGIC) {
                return Optional.of(root + " is itself on overlayfs, which cannot be an upper layer");
            }
            Path probe = root.resolve("probe-" + UUID.randomUUID().toString().substring(0, 8));
            try {
                Path l1 = Files.createDirectories(probe.resolve("l1"));
                Path l2 = Files.createDirectories(probe.resolve("l2"));
                Path up = Files.createDirectories(probe.resolve("u"));
                Path work = Files.createDirectories(probe.resolve("w"));
                Path merged = Files.createDirectories(probe.resolve("m"));
                Files.writeString(l2.resolve("hidden"), "x");
                Files.writeString(l2.resolve("seen"), "x");
                NodesAt.mknod(null, l1.resolve("hidden").toString(), FileStat.S_IFCHR, 0);
                Mount m = new Mount("overlay", "overlay", List.of("lowerdir=" + l1 + ":" + l2, "upperdir=" + up,
                        "workdir=" + work, "index=off", "metacopy=off", "redirect_dir=off"));
                Mounter.mount(List.of(m), merged);
                try {
                    if (Files.exists(merged.resolve("hidden")) || !Files.exists(merged.resolve("seen"))) {
                        return Optional.of("overlay under " + root + " does not honour whiteouts");
                    }
                } finally {
                    Mounter.unmount(merged);
                }
                return Optional.empty();
            } finally {
                Trees.remove(probe);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("overlay is not usable under " + root + ": " + e.getMessage());
        }
    }

    /** An overlay snapshotter under {@code root}/overlay when overlay works there, else a copying one under {@code root}/copy. */
    public static Snapshotter open(Path root) throws IOException {
        Path overlay = root.resolve("overlay");
        if (problem(overlay).isEmpty()) {
            return new OverlaySnapshotter(overlay);
        }
        return new CopySnapshotter(root.resolve("copy"));
    }
}
