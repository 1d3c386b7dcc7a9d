package dev.berth.engine.image;

import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.oci.image.Compression;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.storage.diff.Changes;
import dev.berth.storage.diff.DiffResult;
import dev.berth.storage.diff.DiffSource;
import dev.berth.storage.diff.DiffTar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A new image from a parent image and a snapshot's changes (what {@code docker commit} makes):
 * the changes as one gzip layer on top of the parent's layers (none when nothing changed: the
 * history entry is then an empty_layer, as dockerd writes it), the given config, a history entry,
 * and a manifest of the parent's kind (Docker schema 2 or OCI) so the layer media types agree.
 * The image is stored and its layers registered; naming it is the caller's.
 */
public final class LayerCommit {
    private LayerCommit() {}

    /** Who and why: the history entry's author, comment and created_by. */
    public record Info(String author, String comment, String createdBy) {}

    public static Image commit(Images images, Image parent, DiffSource changes, ImageConfig.Config config, Info info)
            throws IOException {
        boolean empty = Changes.of(changes).isEmpty();
        boolean docker = MediaTypes.DOCKER_MANIFEST.equals(parent.manifests().getFirst().descriptor().mediaType());
        List<Descriptor> layers = new ArrayList<>(parent.layers());
        List<String> diffIds = new ArrayList<>(parent.diffIds().stream().map(Digest::toString).toList());
        if (!empty) {
            DiffResult layer = writeLayer(images, changes);
            layers.add(Descriptor.of(docker ? MediaTypes.DOCKER_LAYER_GZIP : layer.mediaType(), layer.digest(), layer.blobSize()));
            diffIds.add(layer.diffId().toString());
        }
        ImageConfig old = parent.config();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        List<ImageConfig.History> history = new ArrayList<>(parent.history());
        if (history.isEmpty()) {
            // A parent without history (imported, hand-made): one entry per layer, so that the
            // non-empty entries still pair with the layers, as image-spec config.md asks.
            for (int i = 0; i < parent.layers().size(); i++) {
                history.add(new ImageConfig.History(old.created(), null, null, null, null));
            }
        }
        history.add(new ImageConfig.History(now, info.createdBy(), blankToNull(info.author()), blankToNull(info.comment()),
                empty ? Boolean.TRUE : null));
        ImageConfig cfg = new ImageConfig(now, blankToNull(info.author()), old.architecture(), old.os(), old.osVersion(),
                old.variant(), config, new ImageConfig.RootFs("layers", diffIds), history);
        byte[] configBytes = ImageJson.MAPPER.writeValueAsBytes(cfg);
        byte[] manifest = ImageJson.MAPPER.writeValueAsBytes(new Manifest(2, docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST,
                null, Descriptor.of(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG, Digest.sha256(configBytes),
                configBytes.length), layers, null, null));
        Image image = images.store().put(manifest, configBytes, parent.platform());
        try {
            images.unpack(image);
        } catch (IOException | RuntimeException e) {
            // An image whose layers cannot be registered is no image: take it back out.
            try {
                images.store().remove(image.id(), true);
                images.release(image);
            } catch (IOException | RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
        return image;
    }

    /** The diff as a gzip blob in the content store (through a temp file: the store wants the bytes whole). */
    private static DiffResult writeLayer(Images images, DiffSource changes) throws IOException {
        Path tmp = Files.createTempFile(images.tmpDir(), "commit-", ".tar.gz");
        try {
            DiffResult layer;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                layer = DiffTar.write(changes, out, Compression.GZIP);
            }
            try (InputStream in = Files.newInputStream(tmp)) {
                Digest stored = images.content().put(in);
                if (!stored.equals(layer.digest())) {
                    throw new IOException("commit layer changed while stored: " + stored + " != " + layer.digest());
                }
            }
            return layer;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
