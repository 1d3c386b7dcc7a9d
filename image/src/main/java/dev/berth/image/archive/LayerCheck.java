package dev.berth.image.archive;

import dev.berth.oci.image.Compression;
import dev.berth.image.ContentStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import java.io.IOException;

/**
 * Checks a loaded layer against the DiffID its config promises, as {@code docker load} does: an
 * archive can put any file behind a layer path, and a wrong layer found only when a container
 * runs would be much harder to trace. The compression is read from the content, not trusted from
 * a name or media type.
 */
final class LayerCheck {
    private LayerCheck() {}

    /**
     * Verifies {@code blob} (already in the content store) decompresses to {@code diffId}, and
     * returns an OCI descriptor for it with the media type of the compression it is in.
     */
    static Descriptor verify(ContentStore content, Digest blob, Digest diffId, String what) throws IOException {
        Compression compression = Compression.detect(content.path(blob));
        Digest actual = compression == Compression.NONE ? blob : Compression.diffId(content.path(blob)).digest();
        if (!actual.equals(diffId)) {
            throw new InvalidImageException(what + ": the layer's content has DiffID " + actual
                    + " but the image config lists " + diffId);
        }
        return Descriptor.of(compression.layerMediaType(), blob, content.size(blob));
    }
}
