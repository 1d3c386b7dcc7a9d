package dev.berth.storage.snapshot;

import dev.berth.storage.archive.ApplyOptions;
import java.nio.file.Path;

/** Where a layer for an active snapshot is unpacked, and how its whiteouts are written there. */
public record LayerTarget(Path dir, ApplyOptions options) {
}
