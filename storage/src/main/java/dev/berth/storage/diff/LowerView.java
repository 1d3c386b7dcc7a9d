package dev.berth.storage.diff;

import dev.berth.sys.FileStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the stacked lower layers of an overlay show, worked out from their directories by
 * overlayfs's rules (Documentation/filesystems/overlayfs.rst): the topmost layer that has a name
 * decides; a whiteout hides it; a non-directory hides everything below its path; an opaque
 * directory hides the same directory in deeper layers. Components are lstat'ed one by one, so
 * a symlink inside a layer is never followed.
 */
final class LowerView {
    private final java.util.List<Path> layers;
    // A diff asks about the same directories over and over (every name in a directory walks its
    // parents again, in every layer): lstat and the opaque xattr are remembered for one diff.
    private final java.util.Map<Path, Optional<FileStat>> stats = new java.util.HashMap<>();
    private final java.util.Map<Path, Boolean> opaque = new java.util.HashMap<>();

    LowerView(java.util.List<Path> layers) {
        this.layers = layers;
    }

    private Optional<FileStat> lstat(Path p) {
        return stats.computeIfAbsent(p, FileMeta::lstat);
    }

    private boolean isOpaque(Path dir) {
        return opaque.computeIfAbsent(dir, FileMeta::isOpaque);
    }

    /** What {@code path} (relative) is in the merged lower view, if anything. */
    Optional<FileStat> lookup(String path) {
        String[] parts = path.split("/");
        for (Path layer : layers) {
            Reach r = reach(layer, parts, parts.length - 1);
            if (r == Reach.HIDDEN) {
                return Optional.empty();
            }
            if (r == Reach.ABSENT) {
                continue;
            }
            Optional<FileStat> st = lstat(layer.resolve(path));
            if (st.isPresent()) {
                return st.get().isOverlayWhiteout() ? Optional.empty() : st;
            }
            if (r == Reach.LAST) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The names directory {@code dir} ("" the root) shows in the merged lower view. */
    Set<String> children(String dir) {
        String[] parts = dir.isEmpty() ? new String[0] : dir.split("/");
        Set<String> names = new TreeSet<>();
        Set<String> hidden = new HashSet<>();
        for (Path layer : layers) {
            Reach r = reach(layer, parts, parts.length);
            if (r == Reach.HIDDEN) {
                break;
            }
            if (r == Reach.ABSENT) {
                continue;
            }
            Path d = dir.isEmpty() ? layer : layer.resolve(dir);
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    Optional<FileStat> st = FileMeta.lstat(p);
                    if (st.isPresent() && st.get().isOverlayWhiteout()) {
                        hidden.add(name);
                    } else if (!hidden.contains(name)) {
                        names.add(name);
                    }
                    if (st.isPresent() && !st.get().isDirectory()) {
                        hidden.add(name);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (r == Reach.LAST) {
                break;
            }
        }
        return names;
    }

    /** How far a layer lets a lookup of the first {@code n} components go. */
    private enum Reach {
        /** They are all directories here; deeper layers may add to them. */
        OPEN,
        /** They are all directories here, but one is opaque: no deeper layer counts. */
        LAST,
        /** One is missing here: this layer has nothing to say. */
        ABSENT,
        /** One is a whiteout or a non-directory here: nothing below exists. */
        HIDDEN
    }

    private Reach reach(Path layer, String[] parts, int n) {
        Path p = layer;
        boolean last = isOpaque(layer);
        for (int i = 0; i < n; i++) {
            p = p.resolve(parts[i]);
            Optional<FileStat> st = lstat(p);
            if (st.isEmpty()) {
                return Reach.ABSENT;
            }
            if (!st.get().isDirectory()) {
                return Reach.HIDDEN;
            }
            last |= isOpaque(p);
        }
        return last ? Reach.LAST : Reach.OPEN;
    }
}
