package dev.berth.storage.archive;

import dev.berth.oci.image.Compression;
import dev.berth.storage.InvalidLayerException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A layer blob's uncompressed tar. The bytes decide, not only the media type: registries and old
 * tools do label uncompressed layers ".tar.gzip" (docker's DecompressStream sniffs for the same
 * reason), so a label that disagrees with the magic loses. What OCI layers never use (bzip2, xz)
 * and media types that are not layers are refused as invalid layers.
 */
public final class LayerDecompression {
    private LayerDecompression() {}

    /**
     * {@code mediaType} may be null (then only the bytes decide); when given it must be a layer
     * media type. Concatenated gzip members are read whole (pigz and some registries write several).
     */
    public static InputStream open(InputStream blob, String mediaType) throws IOException {
        if (mediaType != null && Compression.ofMediaType(mediaType) == null) {
            throw new InvalidLayerException("unknown layer media type \"" + mediaType + "\"");
        }
        BufferedInputStream in = new BufferedInputStream(blob, 1 << 16);
        Compression actual = Compression.peek(in);
        if (!actual.layerCompression()) {
            throw new InvalidLayerException("layer is " + actual.name().toLowerCase() + "-compressed, which OCI layers are not");
        }
        try {
            return actual.decompress(in);
        } catch (IOException e) {
            throw new InvalidLayerException("layer is not valid " + actual.name().toLowerCase() + ": " + e.getMessage(), e);
        }
    }
}
