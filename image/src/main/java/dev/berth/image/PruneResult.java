package dev.berth.image;

import dev.berth.oci.image.Digest;
import java.util.List;

/** Blobs a prune deleted and the bytes that freed. */
public record PruneResult(List<Digest> deleted, long bytesFreed) {
    public PruneResult {
        deleted = List.copyOf(deleted);
    }
}
