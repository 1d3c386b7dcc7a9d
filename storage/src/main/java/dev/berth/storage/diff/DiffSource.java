package dev.berth.storage.diff;

import java.nio.file.Path;
import java.util.List;

/** Where a snapshot's changes can be read from; each snapshotter knows which form it has. */
public sealed interface DiffSource permits DiffSource.OverlayUpper, DiffSource.TwoTrees {
    /**
     * An overlayfs upper directory: it holds exactly what changed, deletions as whiteouts and
     * opaque directories, over {@code lowers} (topmost first).
     */
    record OverlayUpper(Path upper, List<Path> lowers) implements DiffSource {
        public OverlayUpper {
            lowers = List.copyOf(lowers);
        }
    }

    /** A full tree and the tree it started as ({@code base} null: it started empty). */
    record TwoTrees(Path base, Path tree) implements DiffSource {
    }
}
