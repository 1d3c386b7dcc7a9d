package dev.berth.image.archive;

import dev.berth.oci.image.Compression;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * {@code docker import}: a root filesystem tarball (plain, gzip, zstd or bzip2) becomes a
 * one-layer image. The layer is stored uncompressed, so its blob digest is its DiffID and nothing
 * is spent compressing it until a push needs that. The config carries the platform, the creation
 * time, the {@code --change} settings, and one history entry whose comment is the message or
 * "Imported from SOURCE", as docker writes it.
 */
public final class RootfsImporter {
    private final ImageStore store;

    public RootfsImporter(ImageStore store) {
        this.store = store;
    }

    /**
     * @param source   where the tarball came from, for the history ("-" for standard input, or a URL)
     * @param message  the commit message; null for "Imported from SOURCE"
     * @param changes  the container config ({@code --change} CMD, ENV, ...); null for none
     * @param platform the platform to record; null for this host's
     * @param tag      the name to tag the image with; null for none
     */
    public record Options(String source, String message, ImageConfig.Config changes, Platform platform,
                          ImageReference tag) {
        public static Options defaults() {
            return new Options("-", null, null, null, null);
        }

        public Options withTag(ImageReference ref) {
            return new Options(source, message, changes, platform, ref);
        }

        public Options withChanges(ImageConfig.Config config) {
            return new Options(source, message, config, platform, tag);
        }

        public Options withMessage(String text) {
            return new Options(source, text, changes, platform, tag);
        }
    }

    public Image importTarball(InputStream tarball, Options options) throws IOException {
        ContentStore content = store.content();
        Digest layer;
        try (InputStream plain = Compression.decompressing(tarball)) {
            layer = content.put(plain);
        }
        try {
            checkTar(content, layer);
        } catch (InvalidImageException e) {
            if (!store.referencedBlobs().contains(layer)) {
                content.delete(layer); // a bad input should leave nothing behind
            }
            throw e;
        }
        long size = content.size(layer);
        Platform platform = options.platform() != null ? options.platform() : Platform.host();
        String created = Instant.now().toString();
        String comment = options.message() != null ? options.message() : "Imported from " + options.source();
        ImageConfig config = new ImageConfig(created, null, platform.architecture(), platform.os(), platform.osVersion(),
                platform.variant(), options.changes(), new ImageConfig.RootFs("layers", List.of(layer.toString())),
                List.of(new ImageConfig.History(created, null, null, comment, null)));
        byte[] configBytes = ImageJson.MAPPER.writeValueAsBytes(config);
        byte[] manifest = ImageJson.MAPPER.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, null,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(configBytes), configBytes.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer, size)), null, null));
        Image image = store.put(manifest, configBytes, platform);
        if (options.tag() != null) {
            store.tag(options.tag(), image.id());
            image = store.get(image.id()).orElseThrow();
        }
        return image;
    }

    /** A valid header block, or the zero block that ends an (empty) archive. */
    private static boolean isTarHeader(byte[] block) {
        if (java.util.Arrays.equals(block, new byte[512])) {
            return true;
        }
        try {
            return TarUtils.verifyCheckSum(block);
        } catch (IllegalArgumentException e) {
            return false; // the checksum field is not even octal
        }
    }

    /** Walks the stored tar's headers: what cannot be read as a tar is refused now, not at first run. */
    private static void checkTar(ContentStore content, Digest layer) throws IOException {
        byte[] header;
        try (InputStream in = content.open(layer)) {
            header = in.readNBytes(512);
        }
        if (header.length < 512 || !isTarHeader(header)) {
            throw new InvalidImageException("the input is not a tar archive (its first 512 bytes are no tar header)");
        }
        try (InputStream in = content.open(layer); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            while (tar.getNextEntry() != null) {
                // headers only; entry data is skipped
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidImageException("the input is not a tar archive: " + e.getMessage(), e);
        }
    }
}
