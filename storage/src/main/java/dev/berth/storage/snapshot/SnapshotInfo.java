package dev.berth.storage.snapshot;

import java.time.Instant;

/**
 * A snapshot's record (containerd's snapshots.Info): an ACTIVE snapshot is writable and can be
 * committed; a VIEW is a read-only look at its parent; a COMMITTED one is immutable and can be
 * the parent of others. {@code parent} is the key of a committed snapshot, or null.
 */
public record SnapshotInfo(String key, Kind kind, String parent, Instant created) {
    public enum Kind { ACTIVE, VIEW, COMMITTED }
}
