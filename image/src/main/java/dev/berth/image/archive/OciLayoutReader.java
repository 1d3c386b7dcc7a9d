package dev.berth.image.archive;

import dev.berth.image.BlobNotFoundException;
import dev.berth.image.ContentStore;
import dev.berth.image.ImageDocuments;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads images from an OCI image layout directory (image-spec image-layout.md), the
 * {@code oci:DIR[:REF]} of skopeo: only the blobs the chosen images need are copied into the
 * content store, each verified against its digest on the way in.
 */
public final class OciLayoutReader {
    private final ImageStore store;
    private final Platform platform;

    public OciLayoutReader(ImageStore store) {
        this(store, Platform.host());
    }

    public OciLayoutReader(ImageStore store, Platform platform) {
        this.store = store;
        this.platform = platform;
    }

    /**
     * @param refName    only the entries with this ref name (usually a tag); null for all
     * @param repository when given, ref names that are tags become tags of this repository;
     *                   otherwise names come from the entries' annotations
     */
    public List<ArchivedImage> load(Path dir, String refName, ImageReference repository) throws IOException {
        checkLayoutFile(dir);
        byte[] index;
        try {
            index = Files.readAllBytes(dir.resolve(OciLayout.INDEX_FILE));
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(dir + " is not an OCI image layout: it has no index.json");
        }
        ContentStore content = store.content();
        OciIndexImport.BlobSupply fromDir = d -> {
            Digest digest = d.parsedDigest();
            if (content.has(digest)) {
                return;
            }
            Path file = dir.resolve(OciLayout.blobPath(digest));
            if (!Files.isRegularFile(file)) {
                throw new BlobNotFoundException(digest);
            }
            try (InputStream in = Files.newInputStream(file); ContentStore.BlobWriter w = content.begin(digest, d.size())) {
                in.transferTo(w);
                w.commit();
            }
        };
        return new OciIndexImport(store, fromDir, platform).load(ImageDocuments.index(index), refName, repository);
    }

    /** image-layout.md#oci-layout-file: present, with an imageLayoutVersion we understand (1.x). */
    private static void checkLayoutFile(Path dir) throws IOException {
        Path file = dir.resolve(OciLayout.LAYOUT_FILE);
        if (!Files.exists(file)) {
            throw new InvalidImageException(dir + " is not an OCI image layout: it has no oci-layout file");
        }
        var version = ImageJson.MAPPER.readTree(Files.readAllBytes(file)).path("imageLayoutVersion").asText("");
        if (!version.startsWith("1.")) {
            throw new InvalidImageException(dir + ": unsupported imageLayoutVersion \"" + version + "\" (want 1.x)");
        }
    }
}
