package dev.berth.storage;

import dev.berth.oci.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Chain IDs (image-spec config.md "Layer ChainID"): a layer's identity together with everything
 * below it. ChainID(L0) = DiffID(L0); ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln)).
 * Two images that share a base share its chain IDs, and so its unpacked layers.
 */
public final class ChainId {
    private ChainId() {}

    /** The chain ID of a layer with {@code diffId} over the chain {@code parent} (null: the base layer). */
    public static Digest of(Digest parent, Digest diffId) {
        if (parent == null) {
            return diffId;
        }
        return Digest.sha256((parent + " " + diffId).getBytes(StandardCharsets.UTF_8));
    }

    /** The chain ID of the top of {@code diffIds} (bottom first, as rootfs.diff_ids lists them). */
    public static Digest of(List<Digest> diffIds) {
        Digest chain = null;
        for (Digest d : diffIds) {
            chain = of(chain, d);
        }
        if (chain == null) {
            throw new IllegalArgumentException("no layers");
        }
        return chain;
    }
}
