package dev.berth.image.archive;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageDocuments;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the images of a docker-archive (moby image/tarexport load.go): for each manifest.json
 * entry, the config and the layer files it names, each layer checked against the config's
 * DiffIDs, then its RepoTags.
 *
 * <p>Layers are stored as they come: plain tars from {@code docker save} and skopeo (media type
 * {@code application/vnd.oci.image.layer.v1.tar}, blob digest = DiffID), compressed ones as they
 * are from docker 25+'s containerd store. Recompressing on load would cost CPU for every load to
 * save disk only until the next push, which compresses anyway. When the archive is also an OCI
 * layout and holds the original manifest for these layers, that manifest is kept (so its digest,
 * and what it was pulled as, survive); otherwise Berth writes an OCI manifest for them.
 */
final class DockerArchiveImport {
    private static final TypeReference<List<DockerArchiveManifest>> MANIFEST_LIST = new TypeReference<>() {};

    private final ImageStore store;
    private final ContentStore content;
    private final ArchiveContents archive;

    DockerArchiveImport(ImageStore store, ArchiveContents archive) {
        this.store = store;
        this.content = store.content();
        this.archive = archive;
    }

    List<ArchivedImage> load() throws IOException {
        List<DockerArchiveManifest> entries;
        try {
            entries = ImageJson.MAPPER.readValue(archive.bytes(DockerArchiveManifest.FILE), MANIFEST_LIST);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidImageException("malformed manifest.json: " + e.getOriginalMessage(), e);
        }
        List<Descriptor> originals = originalManifests();
        List<ArchivedImage> out = new ArrayList<>();
        for (int n = 0; n < entries.size(); n++) {
            DockerArchiveManifest entry = entries.get(n);
            String where = "manifest.json[" + n + "]";
            if (entry.config() == null) {
                throw new InvalidImageException(where + " has no Config");
            }
            byte[] config = archive.bytes(entry.config());
            Digest id = Digest.sha256(config);
            List<Digest> diffIds = ImageDocuments.diffIds(ImageDocuments.config(config));
            List<String> paths = entry.layers() == null ? List.of() : entry.layers();
            if (paths.size() != diffIds.size()) {
                throw new InvalidImageException(where + " lists " + paths.size() + " layers but its config "
                        + entry.config() + " has " + diffIds.size() + " diff_ids");
            }
            List<Descriptor> layers = new ArrayList<>();
            for (int i = 0; i < paths.size(); i++) {
                layers.add(LayerCheck.verify(content, archive.digest(paths.get(i)), diffIds.get(i),
                        where + " layer " + paths.get(i)));
            }
            byte[] manifest = original(originals, id, layers);
            if (manifest == null) {
                manifest = ImageJson.MAPPER.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, null,
                        Descriptor.of(MediaTypes.OCI_CONFIG, id, config.length), layers, null, null));
            }
            Image image = store.put(manifest, config, null);
            List<ImageReference> names = new ArrayList<>();
            for (String tag : entry.repoTags() == null ? List.<String>of() : entry.repoTags()) {
                ImageReference ref;
                try {
                    ref = ImageReference.parse(tag);
                } catch (IllegalArgumentException e) {
                    throw new InvalidImageException(where + " RepoTags: " + e.getMessage(), e);
                }
                store.tag(ref, image.id());
                names.add(ref);
            }
            out.add(new ArchivedImage(store.get(image.id()).orElseThrow(), names));
        }
        return out;
    }

    /** Manifests reachable from the archive's index.json whose blobs it carries (docker 25+ archives). */
    private List<Descriptor> originalManifests() throws IOException {
        List<Descriptor> out = new ArrayList<>();
        if (!archive.has(OciLayout.INDEX_FILE)) {
            return out;
        }
        List<Descriptor> pending = new ArrayList<>(manifestsOf(ImageDocuments.index(archive.bytes(OciLayout.INDEX_FILE))));
        for (int i = 0; i < pending.size() && i < 1024; i++) {
            Descriptor d = pending.get(i);
            Digest digest = d.parsedDigest();
            if (!content.has(digest)) {
                continue;
            }
            if (MediaTypes.isIndex(d.mediaType())) {
                pending.addAll(manifestsOf(ImageDocuments.index(content.read(digest))));
            } else if (MediaTypes.isManifest(d.mediaType())) {
                out.add(d);
            }
        }
        return out;
    }

    /** The bytes of an original manifest for exactly this config and these layer blobs, or null. */
    private byte[] original(List<Descriptor> originals, Digest config, List<Descriptor> layers) throws IOException {
        List<Digest> want = layers.stream().map(Descriptor::parsedDigest).toList();
        for (Descriptor ref : originals) {
            byte[] bytes = content.read(ref.parsedDigest());
            Manifest m = ImageDocuments.manifest(bytes);
            if (m.config() != null && config.toString().equals(m.config().digest()) && m.layers() != null
                    && m.layers().stream().map(Descriptor::parsedDigest).toList().equals(want)) {
                return bytes;
            }
        }
        return null;
    }

    private static List<Descriptor> manifestsOf(ImageIndex index) {
        return index.manifests() == null ? List.of() : index.manifests();
    }
}
