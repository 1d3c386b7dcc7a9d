package dev.berth.storage.diff;

import java.io.IOException;
import java.util.List;

/** {@code docker diff}: what a snapshot changed, as A/C/D lines sorted by path. */
public final class Changes {
    private Changes() {}

    public static List<Change> of(DiffSource source) throws IOException {
        return switch (source) {
            case DiffSource.OverlayUpper upper -> OverlayChanges.of(upper);
            case DiffSource.TwoTrees trees -> TreeChanges.of(trees);
        };
    }
}
