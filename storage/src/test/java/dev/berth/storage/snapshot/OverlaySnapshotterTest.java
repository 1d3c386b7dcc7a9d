package dev.berth.storage.snapshot;

import java.io.IOException;
import java.nio.file.Path;

class OverlaySnapshotterTest extends SnapshotterContract {
    @Override
    Snapshotter create(Path root) throws IOException {
        return new OverlaySnapshotter(root);
    }
}
