package dev.berth.storage.snapshot;

import java.io.IOException;
import java.nio.file.Path;

class CopySnapshotterTest extends SnapshotterContract {
    @Override
    Snapshotter create(Path root) throws IOException {
        return new CopySnapshotter(root);
    }
}
