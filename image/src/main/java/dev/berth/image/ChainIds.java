package dev.berth.image;

import dev.berth.oci.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ChainIDs name a layer together with everything beneath it (image-spec config.md#layer-chainid):
 * ChainID(L0) = DiffID(L0), ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). Two images
 * that share a base share the ChainIDs of its layers, which is what lets snapshots be shared.
 */
public final class ChainIds {
    private ChainIds() {}

    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null ? diffId : next(previous, diffId);
            chain.add(previous);
        }
        return List.copyOf(chain);
    }

    /** The ChainID of {@code diffId} applied on top of the chain {@code parent}. */
    public static Digest next(Digest parent, Digest diffId) {
        return Digest.sha256((parent + " " + diffId).getBytes(StandardCharsets.UTF_8));
    }
}
