package dev.berth.image.archive;

import dev.berth.image.BlobNotFoundException;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * {@code docker load}: reads an image archive from a stream, plain or compressed, and adds its
 * images and tags to the store. It takes what docker load takes: a docker-archive (manifest.json,
 * from any docker's {@code save} or skopeo's {@code docker-archive:}), whose manifest.json then
 * decides; or a bare OCI image layout in a tar (index.json), whose entries are named by their
 * {@code io.containerd.image.name} annotation or a full-reference ref name.
 *
 * <p>Every blob goes through the content store's verification, and every layer is checked against
 * its DiffID before the image is recorded. A failure leaves no image behind; blobs already stored
 * stay unreferenced until {@link ImageStore#prune}.
 */
public final class ArchiveLoader {
    private final ImageStore store;
    private final Platform platform;

    public ArchiveLoader(ImageStore store) {
        this(store, Platform.host());
    }

    /** @param platform the platform to choose when an archive holds an index of several */
    public ArchiveLoader(ImageStore store, Platform platform) {
        this.store = store;
        this.platform = platform;
    }

    public List<ArchivedImage> load(InputStream archive) throws IOException {
        ArchiveContents contents = ArchiveContents.read(archive, store.content());
        if (contents.has(DockerArchiveManifest.FILE)) {
            return new DockerArchiveImport(store, contents).load();
        }
        if (contents.has(OciLayout.INDEX_FILE)) {
            OciIndexImport.BlobSupply inArchive = d -> {
                Digest digest = d.parsedDigest();
                if (!store.content().has(digest)) {
                    throw new BlobNotFoundException(digest);
                }
            };
            return new OciIndexImport(store, inArchive, platform).load(
                    dev.berth.image.ImageDocuments.index(contents.bytes(OciLayout.INDEX_FILE)), null, null);
        }
        throw new InvalidImageException("not an image archive: it has neither manifest.json (docker save)"
                + " nor index.json (OCI image layout)");
    }
}
