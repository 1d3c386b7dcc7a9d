package dev.berth.image;

import dev.berth.oci.image.Digest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code docker rmi} reports, plus what the caller may now free.
 *
 * @param untagged             references removed, in docker's familiar form ("Untagged: busybox:latest")
 * @param deleted              the image ID, when the image itself was deleted ("Deleted: sha256:...")
 * @param unreferencedBlobs    blobs (manifests, index, config, layers) that no remaining image uses;
 *                             still in the content store until {@link ImageStore#prune} or the caller
 *                             deletes them
 * @param unreferencedChainIds layer chains no remaining image uses: their snapshots can go
 */
public record RemoveResult(List<String> untagged, Optional<Digest> deleted, Set<Digest> unreferencedBlobs,
                           Set<Digest> unreferencedChainIds) {
    public RemoveResult {
        untagged = List.copyOf(untagged);
        unreferencedBlobs = Set.copyOf(unreferencedBlobs);
        unreferencedChainIds = Set.copyOf(unreferencedChainIds);
    }
}
