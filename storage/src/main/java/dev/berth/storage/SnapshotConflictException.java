package dev.berth.storage;

import java.io.IOException;

/**
 * The operation conflicts with the snapshot's state: the key is taken, the snapshot still has
 * children or is mounted, or it is of the wrong kind (committing a committed one).
 */
public final class SnapshotConflictException extends IOException {
    public SnapshotConflictException(String message) {
        super(message);
    }
}
