package dev.berth.storage;

import java.io.IOException;

/** No snapshot (or layer) has this key. */
public final class SnapshotNotFoundException extends IOException {
    public SnapshotNotFoundException(String what) {
        super(what + " not found");
    }
}
