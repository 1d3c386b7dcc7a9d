package dev.berth.image.archive;

import dev.berth.image.BlobNotFoundException;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageDocuments;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the images an OCI index.json lists into the stores: for each entry, its manifest (chosen
 * by platform when the entry is itself an index), config and layers, with every layer checked
 * against its DiffID, then the names its annotations give. Where the blobs come from (an archive
 * already streamed into the content store, or a layout directory) is the {@link BlobSupply}'s
 * business.
 */
final class OciIndexImport {

    /** Makes a blob present in the content store, or throws {@link BlobNotFoundException}. */
    @FunctionalInterface
    interface BlobSupply {
        void ensure(Descriptor blob) throws IOException;
    }

    private final ImageStore store;
    private final ContentStore content;
    private final BlobSupply supply;
    private final Platform platform;

    OciIndexImport(ImageStore store, BlobSupply supply, Platform platform) {
        this.store = store;
        this.content = store.content();
        this.supply = supply;
        this.platform = platform;
    }

    /**
     * @param refName    load only entries with this {@code org.opencontainers.image.ref.name}; null for all
     * @param repository when given, a ref name that is a tag names {@code repository:tag}
     */
    List<ArchivedImage> load(ImageIndex index, String refName, ImageReference repository) throws IOException {
        Map<Digest, Set<ImageReference>> loaded = new LinkedHashMap<>();
        List<Descriptor> entries = index.manifests() == null ? List.of() : index.manifests();
        for (int i = 0; i < entries.size(); i++) {
            Descriptor d = entries.get(i);
            if (refName != null && !refName.equals(annotation(d, OciLayout.REF_NAME))) {
                continue;
            }
            Image image = loadEntry(d, "index.json manifests[" + i + "]");
            Set<ImageReference> names = loaded.computeIfAbsent(image.id(), k -> new LinkedHashSet<>());
            for (ImageReference name : namesOf(d, repository)) {
                store.tag(name, image.id());
                names.add(name);
            }
        }
        if (refName != null && loaded.isEmpty()) {
            throw new InvalidImageException("no image with ref name \"" + refName + "\" in the layout's index.json");
        }
        List<ArchivedImage> out = new ArrayList<>();
        loaded.forEach((id, names) -> out.add(new ArchivedImage(store.get(id).orElseThrow(), List.copyOf(names))));
        return out;
    }

    private Image loadEntry(Descriptor entry, String where) throws IOException {
        Descriptor manifest = entry;
        Digest index = null;
        if (MediaTypes.isIndex(entry.mediaType())) {
            supply.ensure(entry);
            ImageIndex nested = ImageDocuments.index(content.read(entry.parsedDigest()));
            manifest = PlatformChoice.choose(nested.manifests() == null ? List.of() : nested.manifests(), platform,
                    this::available);
            index = entry.parsedDigest();
        } else if (!MediaTypes.isManifest(entry.mediaType())) {
            throw new InvalidImageException(where + ": unsupported media type \"" + entry.mediaType() + "\"");
        }
        supply.ensure(manifest);
        byte[] manifestBytes = content.read(manifest.parsedDigest());
        Manifest m = ImageDocuments.manifest(manifestBytes);
        if (m.config() == null) {
            throw new InvalidImageException("manifest " + manifest.digest() + " has no config");
        }
        supply.ensure(m.config());
        byte[] config = content.read(m.config().parsedDigest());
        ImageConfig cfg = ImageDocuments.config(config);
        List<Digest> diffIds = ImageDocuments.diffIds(cfg);
        List<Descriptor> layers = m.layers() == null ? List.of() : m.layers();
        if (layers.size() != diffIds.size()) {
            throw new InvalidImageException("manifest " + manifest.digest() + " lists " + layers.size()
                    + " layers but its config has " + diffIds.size() + " diff_ids");
        }
        for (int i = 0; i < layers.size(); i++) {
            supply.ensure(layers.get(i));
            LayerCheck.verify(content, layers.get(i).parsedDigest(), diffIds.get(i),
                    "layers[" + i + "] of manifest " + manifest.digest());
        }
        return store.put(manifestBytes, config, manifest.platform(), index);
    }

    private boolean available(Descriptor d) {
        try {
            supply.ensure(d);
            return true;
        } catch (BlobNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The names an index entry gives its image: with a repository given, that repository with the
     * entry's ref name as tag; otherwise containerd's full-name annotation, or a ref name that is a
     * full reference itself (skopeo writes "oci:dir:docker.io/x:y" that way). A bare tag with no
     * repository to put it in names nothing.
     */
    static List<ImageReference> namesOf(Descriptor d, ImageReference repository) {
        String refName = annotation(d, OciLayout.REF_NAME);
        if (repository != null) {
            return refName != null && ImageReference.isValidTag(refName)
                    ? List.of(repository.nameOnly().withTag(refName)) : List.of();
        }
        String full = annotation(d, OciLayout.CONTAINERD_IMAGE_NAME);
        if (full != null) {
            return tagOf(full, OciLayout.CONTAINERD_IMAGE_NAME);
        }
        if (refName != null && refName.contains("/")) {
            return tagOf(refName, OciLayout.REF_NAME);
        }
        return List.of();
    }

    /** The name as a tag ("name:tag@digest" tags name:tag; "name@digest" alone tags nothing). */
    private static List<ImageReference> tagOf(String text, String annotation) {
        try {
            ImageReference ref = ImageReference.parse(text);
            return ref.tag().map(tag -> List.of(ref.nameOnly().withTag(tag))).orElse(List.of());
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("annotation " + annotation + ": " + e.getMessage(), e);
        }
    }

    static String annotation(Descriptor d, String key) {
        return d.annotations() == null ? null : d.annotations().get(key);
    }
}
