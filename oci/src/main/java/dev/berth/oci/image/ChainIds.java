package dev.berth.oci.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ChainIDs name a layer together with everything beneath it (image-spec config.md#layer-chainid):
 * ChainID(L0) = DiffID(L0), ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)). Two images
 * that share a base share the ChainIDs of its layers, which is what lets unpacked layers
 * (snapshots) be shared. One copy for the image store and the layer store.
 */
public final class ChainIds {
    private ChainIds() {}

    /** The ChainID of every layer of {@code diffIds} (bottom first, as rootfs.diff_ids lists them). */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = next(previous, diffId);
            chain.add(previous);
        }
        return List.copyOf(chain);
    }

    /** The ChainID of the top layer of {@code diffIds}; IllegalArgumentException if there is none. */
    public static Digest top(List<Digest> diffIds) {
        if (diffIds.isEmpty()) {
            throw new IllegalArgumentException("no layers");
        }
        return of(diffIds).getLast();
    }

    /** The ChainID of {@code diffId} applied on top of the chain {@code parent} (null: the base layer). */
    public static Digest next(Digest parent, Digest diffId) {
        if (parent == null) {
            return diffId;
        }
        return Digest.sha256((parent + " " + diffId).getBytes(StandardCharsets.UTF_8));
    }
}
