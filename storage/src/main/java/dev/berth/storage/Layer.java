package dev.berth.storage;

import dev.berth.oci.image.Digest;
import java.util.Set;

/**
 * An unpacked layer in the {@link LayerStore}.
 *
 * @param chainId the layer with all below it; also the key of its committed snapshot
 * @param diffId  sha256 of its uncompressed tar
 * @param parent  the chain ID below it, null for a base layer
 * @param size    length of its uncompressed tar
 * @param owners  who holds it (image IDs, say); a layer nobody holds and nothing builds on goes
 */
public record Layer(Digest chainId, Digest diffId, Digest parent, long size, Set<String> owners) {
    public Layer {
        owners = Set.copyOf(owners);
    }
}
