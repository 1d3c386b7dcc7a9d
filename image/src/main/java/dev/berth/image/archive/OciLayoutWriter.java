package dev.berth.image.archive;

import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageManifest;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes images as an OCI image layout (image-spec image-layout.md): every blob as it is stored
 * (compressed layers stay compressed, manifests keep their digests), {@code oci-layout}, and an
 * {@code index.json} with one entry per name. Each entry's {@code org.opencontainers.image.ref.name}
 * is the tag, which is what {@code skopeo ... oci:DIR:TAG} selects by, and
 * {@code io.containerd.image.name} the full name, as containerd and docker 25+ write them.
 */
public final class OciLayoutWriter {
    private final ContentStore content;

    public OciLayoutWriter(ContentStore content) {
        this.content = content;
    }

    /**
     * Writes into {@code dir}, creating the layout or adding to one already there: an existing entry
     * with the same ref name is replaced, others are kept.
     */
    public void write(Path dir, List<ArchivedImage> entries) throws IOException {
        List<Descriptor> kept = new ArrayList<>();
        Path index = dir.resolve(OciLayout.INDEX_FILE);
        if (Files.exists(index)) {
            ImageIndex existing = readIndex(Files.readAllBytes(index), index.toString());
            Set<String> replaced = descriptors(entries).stream()
                    .map(d -> d.annotations() == null ? null : d.annotations().get(OciLayout.REF_NAME))
                    .filter(n -> n != null)
                    .collect(Collectors.toSet());
            for (Descriptor d : existing.manifests() == null ? List.<Descriptor>of() : existing.manifests()) {
                String name = d.annotations() == null ? null : d.annotations().get(OciLayout.REF_NAME);
                if (name == null || !replaced.contains(name)) {
                    kept.add(d);
                }
            }
        }
        try (DirectorySink sink = new DirectorySink(dir)) {
            write(sink, kept, entries);
        }
    }

    /** Writes a fresh layout as a tar stream; {@code out} is left open. */
    public void write(OutputStream out, List<ArchivedImage> entries) throws IOException {
        try (TarSink sink = new TarSink(out)) {
            write(sink, List.of(), entries);
        }
    }

    private void write(LayoutSink sink, List<Descriptor> kept, List<ArchivedImage> entries) throws IOException {
        for (ArchivedImage e : entries) {
            writeBlobs(sink, e.image());
        }
        List<Descriptor> manifests = new ArrayList<>(kept);
        manifests.addAll(descriptors(entries));
        sink.file(OciLayout.LAYOUT_FILE, OciLayout.layoutFile());
        // index.json last: a reader never finds it pointing at blobs not yet written.
        sink.file(OciLayout.INDEX_FILE, ImageJson.MAPPER.writeValueAsBytes(
                new ImageIndex(2, MediaTypes.OCI_INDEX, null, manifests, null, null)));
    }

    /** The primary manifest's blobs: layers, config, manifest. */
    private void writeBlobs(LayoutSink sink, Image image) throws IOException {
        ImageManifest m = image.manifests().getFirst();
        for (Descriptor layer : m.layers()) {
            blob(sink, layer.parsedDigest());
        }
        blob(sink, image.id());
        blob(sink, m.digest());
    }

    private void blob(LayoutSink sink, Digest digest) throws IOException {
        sink.blob(digest, content.size(digest), () -> content.open(digest));
    }

    /** index.json entries: the manifest descriptor, once per name, annotated with it. */
    private static List<Descriptor> descriptors(List<ArchivedImage> entries) {
        List<Descriptor> out = new ArrayList<>();
        for (ArchivedImage e : entries) {
            Descriptor m = e.image().manifests().getFirst().descriptor();
            if (e.names().isEmpty()) {
                out.add(withAnnotations(m, e.image(), null));
            }
            for (ImageReference name : e.names()) {
                Map<String, String> annotations = new LinkedHashMap<>();
                annotations.put(OciLayout.CONTAINERD_IMAGE_NAME, name.toString());
                name.tag().ifPresent(tag -> annotations.put(OciLayout.REF_NAME, tag));
                out.add(withAnnotations(m, e.image(), annotations));
            }
        }
        return out;
    }

    private static Descriptor withAnnotations(Descriptor m, Image image, Map<String, String> annotations) {
        return new Descriptor(m.mediaType(), m.digest(), m.size(), null, annotations, image.platform(), null, null);
    }

    static ImageIndex readIndex(byte[] bytes, String where) {
        try {
            ImageIndex index = ImageJson.MAPPER.readValue(bytes, ImageIndex.class);
            if (index.schemaVersion() != 2) {
                throw new InvalidImageException(where + ": schemaVersion " + index.schemaVersion() + " is not supported (want 2)");
            }
            return index;
        } catch (IOException e) {
            throw new InvalidImageException(where + ": malformed image index: " + e.getMessage(), e);
        }
    }
}
