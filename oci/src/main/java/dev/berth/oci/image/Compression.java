package dev.berth.oci.image;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * The compressions a layer or an archive may come in, told apart by their magic numbers rather
 * than by a media type or file name that may lie (docker's pkg/archive DetectCompression does the
 * same): gzip starts 1f 8b (RFC 1952 2.3.1), zstd 28 b5 2f fd (RFC 8878 3.1.1), bzip2 "BZh", xz
 * fd "7zXZ" 00; anything else is taken as plain. OCI layers are plain, gzip or zstd
 * (image-spec media-types.md); {@code docker load} and {@code docker import} also take bzip2; xz
 * is recognised only to be refused with a clear message.
 *
 * <p>The one copy for the image and storage modules. The stream codecs need commons-compress and
 * zstd-jni, which this module declares optional: callers that decompress (image, storage) bring
 * them; the runtime, which only needs the records here, does not carry them.
 */
public enum Compression {
    NONE(MediaTypes.OCI_LAYER),
    GZIP(MediaTypes.OCI_LAYER_GZIP),
    ZSTD(MediaTypes.OCI_LAYER_ZSTD),
    BZIP2(null),
    XZ(null);

    /** Bytes enough to tell every compression here apart. */
    public static final int MAGIC_LENGTH = 6;

    private final String layerMediaType;

    Compression(String layerMediaType) {
        this.layerMediaType = layerMediaType;
    }

    /** The OCI layer media type for a layer blob in this compression. */
    public String layerMediaType() {
        if (layerMediaType == null) {
            throw new IllegalArgumentException(name().toLowerCase() + " is not a compression OCI layers may use");
        }
        return layerMediaType;
    }

    /** Whether OCI layers may be compressed this way. */
    public boolean layerCompression() {
        return layerMediaType != null;
    }

    /** From a layer media type; null if it is not a layer media type. */
    public static Compression ofMediaType(String mediaType) {
        String c = MediaTypes.layerCompression(mediaType);
        return c == null ? null : switch (c) {
            case "gzip" -> GZIP;
            case "zstd" -> ZSTD;
            default -> NONE;
        };
    }

    /** From the first bytes of the content. */
    public static Compression detect(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        if (length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return BZIP2;
        }
        if (length >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X'
                && head[4] == 'Z' && head[5] == 0) {
            return XZ;
        }
        return NONE;
    }

    /** From the first bytes of a file. */
    public static Compression detect(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MAGIC_LENGTH);
            return detect(head, head.length);
        }
    }

    /** The compression at the start of {@code in}, which must support mark/reset; nothing is consumed. */
    public static Compression peek(BufferedInputStream in) throws IOException {
        in.mark(MAGIC_LENGTH);
        byte[] head = in.readNBytes(MAGIC_LENGTH);
        in.reset();
        return detect(head, head.length);
    }

    /** Wraps {@code in} in a decompressor for this compression; NONE returns it unchanged. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            // Concatenated gzip members are one stream (RFC 1952 2.2; pigz and some registries make them).
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> throw new IOException("xz-compressed input is not supported; decompress it first");
        };
    }

    /** Detects the compression of {@code in} and returns a stream of the decompressed bytes. */
    public static InputStream decompressing(InputStream in) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 1 << 16);
        return peek(buffered).decompress(buffered);
    }

    /** A stream that compresses into {@code out} (gzip at the default level, zstd level 3); closing it finishes the stream. */
    public OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new GzipCompressorOutputStream(out, new GzipParameters());
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, 3);
            case BZIP2, XZ -> throw new IllegalArgumentException("writing " + name().toLowerCase() + " is not supported");
        };
    }

    /** The digest and size of a stream's content. */
    public record Measured(Digest digest, long size) {}

    /**
     * The DiffID of a layer: the sha256 of its uncompressed tar (image-spec config.md#layer-diffid),
     * whatever compression the blob is in. Reads {@code in} to its end and closes it (a zstd
     * decoder holds native memory until closed).
     */
    public static Measured diffId(InputStream in) throws IOException {
        try (InputStream plain = decompressing(in)) {
            return measure(plain);
        }
    }

    /** The DiffID of a layer blob in a file. */
    public static Measured diffId(Path blob) throws IOException {
        try (InputStream in = Files.newInputStream(blob)) {
            return diffId(in);
        }
    }

    /** sha256 and length of everything {@code in} yields. */
    public static Measured measure(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        long size = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            sha.update(buf, 0, n);
            size += n;
        }
        return new Measured(new Digest("sha256", HexFormat.of().formatHex(sha.digest())), size);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
