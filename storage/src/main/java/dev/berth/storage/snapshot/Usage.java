package dev.berth.storage.snapshot;

/**
 * Disk use of a snapshot's own content (for overlay, its layer only; for the copying
 * snapshotter, its whole tree): allocated bytes (st_blocks x 512, each inode once however many
 * links it has) and inodes.
 */
public record Usage(long size, long inodes) {
}
