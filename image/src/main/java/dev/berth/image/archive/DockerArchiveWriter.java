package dev.berth.image.archive;

import dev.berth.oci.image.Compression;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageManifest;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code docker save} archives in the shape docker 25+ writes: an OCI image layout
 * ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}) that is also a docker-archive
 * ({@code manifest.json}, {@code repositories}), so that both old and new {@code docker load}, and
 * skopeo's {@code docker-archive:} and {@code oci-archive:} transports, read it.
 *
 * <p>Layers in a docker-archive are uncompressed tars named by their DiffIDs (manifest.json's
 * Layers). A compressed stored layer is therefore decompressed on the way out (through a temp file
 * in {@code workDir}, because a tar header needs the size first) and checked against its DiffID;
 * the OCI manifest in the archive then lists the uncompressed layers, so it is a new manifest
 * unless the stored one already was.
 */
public final class DockerArchiveWriter {
    private final ContentStore content;
    private final Path workDir;

    public DockerArchiveWriter(ContentStore content, Path workDir) {
        this.content = content;
        this.workDir = workDir;
    }

    /** Writes the images as one archive to {@code out}, which is left open. */
    public void write(OutputStream out, List<ArchivedImage> images) throws IOException {
        Files.createDirectories(workDir);
        List<Descriptor> index = new ArrayList<>();
        List<DockerArchiveManifest> manifests = new ArrayList<>();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        Map<Digest, Long> written = new java.util.HashMap<>(); // DiffID -> size of the plain tar
        try (TarSink sink = new TarSink(out)) {
            for (ArchivedImage entry : images) {
                Image image = entry.image();
                List<Digest> diffIds = image.diffIds();
                List<Descriptor> plainLayers = new ArrayList<>();
                for (int i = 0; i < diffIds.size(); i++) {
                    Digest diffId = diffIds.get(i);
                    Long size = written.get(diffId);
                    if (size == null) {
                        size = writeLayer(sink, image.layers().get(i), diffId);
                        written.put(diffId, size);
                    }
                    plainLayers.add(Descriptor.of(MediaTypes.OCI_LAYER, diffId, size));
                }
                sink.blob(image.id(), content.size(image.id()), () -> content.open(image.id()));
                Descriptor manifest = writeManifest(sink, image, plainLayers);

                List<String> repoTags = new ArrayList<>();
                for (ImageReference name : entry.names()) {
                    if (name.tag().isEmpty()) {
                        continue; // a digest reference names content, and the archive's content is new
                    }
                    repoTags.add(name.familiar());
                    index.add(annotated(manifest, image, name));
                    if (!diffIds.isEmpty()) {
                        repositories.computeIfAbsent(name.familiarName(), k -> new TreeMap<>())
                                .put(name.tag().get(), diffIds.getLast().encoded());
                    }
                }
                if (repoTags.isEmpty()) {
                    index.add(annotated(manifest, image, null));
                }
                manifests.add(new DockerArchiveManifest(OciLayout.blobPath(image.id()),
                        repoTags.isEmpty() ? null : repoTags,
                        diffIds.stream().map(OciLayout::blobPath).toList(), null));
            }
            sink.file(OciLayout.INDEX_FILE, ImageJson.MAPPER.writeValueAsBytes(
                    new ImageIndex(2, MediaTypes.OCI_INDEX, null, index, null, null)));
            sink.file(DockerArchiveManifest.FILE, ImageJson.MAPPER.writeValueAsBytes(manifests));
            sink.file(OciLayout.LAYOUT_FILE, OciLayout.layoutFile());
            sink.file(DockerArchiveManifest.REPOSITORIES_FILE, ImageJson.MAPPER.writeValueAsBytes(repositories));
        }
    }

    /** Writes one layer as its uncompressed tar, {@code blobs/sha256/<diffID>}; returns its size. */
    private long writeLayer(TarSink sink, Descriptor layer, Digest diffId) throws IOException {
        Digest blob = layer.parsedDigest();
        if (blob.equals(diffId) || content.has(diffId)) {
            // Stored plain already (or someone kept the plain tar beside the compressed one).
            long size = content.size(diffId);
            sink.blob(diffId, size, () -> content.open(diffId));
            return size;
        }
        Path tmp = Files.createTempFile(workDir, "layer-", ".tar");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Compression.decompressing(content.open(blob));
                 OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
                in.transferTo(out);
            }
            Digest actual = new Digest("sha256", HexFormat.of().formatHex(sha.digest()));
            if (!actual.equals(diffId)) {
                throw new InvalidImageException("layer " + blob + " decompresses to " + actual
                        + " but the image config lists DiffID " + diffId);
            }
            long size = Files.size(tmp);
            sink.blob(diffId, size, () -> Files.newInputStream(tmp));
            return size;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The stored manifest when its layers are the plain tars already, else a new OCI manifest over
     * the plain layers (image-spec manifest.md), written as a blob either way.
     */
    private Descriptor writeManifest(TarSink sink, Image image, List<Descriptor> plainLayers) throws IOException {
        ImageManifest stored = image.manifests().getFirst();
        boolean reusable = MediaTypes.OCI_MANIFEST.equals(stored.descriptor().mediaType())
                && stored.layers().stream().map(Descriptor::parsedDigest).toList().equals(image.diffIds());
        if (reusable) {
            Digest d = stored.digest();
            sink.blob(d, content.size(d), () -> content.open(d));
            return Descriptor.of(MediaTypes.OCI_MANIFEST, d, content.size(d));
        }
        byte[] bytes = ImageJson.MAPPER.writeValueAsBytes(new Manifest(2, MediaTypes.OCI_MANIFEST, null,
                Descriptor.of(MediaTypes.OCI_CONFIG, image.id(), content.size(image.id())), plainLayers, null, null));
        Digest d = Digest.sha256(bytes);
        sink.blob(d, bytes.length, () -> new java.io.ByteArrayInputStream(bytes));
        return Descriptor.of(MediaTypes.OCI_MANIFEST, d, bytes.length);
    }

    private static Descriptor annotated(Descriptor manifest, Image image, ImageReference name) {
        Map<String, String> annotations = null;
        if (name != null) {
            annotations = new LinkedHashMap<>();
            annotations.put(OciLayout.CONTAINERD_IMAGE_NAME, name.toString());
            annotations.put(OciLayout.REF_NAME, name.tag().orElseThrow());
        }
        return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), null, annotations,
                image.platform(), null, null);
    }
}
