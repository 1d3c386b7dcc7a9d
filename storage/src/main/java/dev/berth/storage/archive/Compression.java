package dev.berth.storage.archive;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.oci.image.MediaTypes;
import dev.berth.storage.InvalidLayerException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * How a layer blob is compressed (image-spec media-types.md, layer.md "Distributable format").
 * The bytes decide, not only the media type: a gzip stream starts 1f 8b (RFC 1952 2.3.1), a zstd
 * frame 28 b5 2f fd (RFC 8878 3.1.1), and anything else is taken as a plain tar. Registries and
 * old tools do label uncompressed layers ".tar.gzip" (docker's DecompressStream sniffs for the
 * same reason), so a label that disagrees with the magic loses.
 */
public enum Compression {
    NONE, GZIP, ZSTD;

    private static final int SNIFF = 6;

    /** What {@code mediaType} promises; InvalidLayerException if it is not a layer media type. */
    public static Compression ofMediaType(String mediaType) throws InvalidLayerException {
        String c = MediaTypes.layerCompression(mediaType);
        if (c == null) {
            throw new InvalidLayerException("unknown layer media type \"" + mediaType + "\"");
        }
        return switch (c) {
            case "gzip" -> GZIP;
            case "zstd" -> ZSTD;
            default -> NONE;
        };
    }

    /** What the first bytes of a blob are; refuses bzip2 and xz, which OCI layers never use. */
    public static Compression sniff(byte[] head, int length) throws InvalidLayerException {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            throw new InvalidLayerException("layer is bzip2-compressed, which OCI layers are not");
        }
        if (length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            throw new InvalidLayerException("layer is xz-compressed, which OCI layers are not");
        }
        return NONE;
    }

    /**
     * The uncompressed tar of {@code blob}. {@code mediaType} may be null (then only the bytes
     * decide); when given it must be a layer media type. Concatenated gzip members are read
     * whole (pigz and some registries write several).
     */
    public static InputStream decompress(InputStream blob, String mediaType) throws IOException {
        if (mediaType != null) {
            ofMediaType(mediaType);
        }
        BufferedInputStream in = new BufferedInputStream(blob, 1 << 16);
        in.mark(SNIFF);
        byte[] head = in.readNBytes(SNIFF);
        in.reset();
        Compression actual = sniff(head, head.length);
        try {
            return switch (actual) {
                case GZIP -> new GzipCompressorInputStream(in, true);
                case ZSTD -> new ZstdInputStream(in);
                case NONE -> in;
            };
        } catch (IOException e) {
            throw new InvalidLayerException("layer is not valid " + actual.name().toLowerCase() + ": " + e.getMessage(), e);
        }
    }

    /** A stream that compresses into {@code out} (gzip at the default level, zstd level 3). */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GzipCompressorOutputStream(out, new GzipParameters());
            case ZSTD -> new ZstdOutputStream(out, 3);
            case NONE -> out;
        };
    }

    /** The OCI media type of a layer compressed this way. */
    public String ociMediaType() {
        return switch (this) {
            case GZIP -> MediaTypes.OCI_LAYER_GZIP;
            case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
            case NONE -> MediaTypes.OCI_LAYER;
        };
    }
}
