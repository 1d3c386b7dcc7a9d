package dev.berth.image.registry;

import dev.berth.image.BlobNotFoundException;
import dev.berth.image.ContentStore;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes an image from a content store (spec.md, "push"): every blob a manifest references first
 * (config and layers in parallel, each skipped if the registry has it, mounted from another
 * repository when a hint says where it lives, else uploaded), then the manifest under the tag.
 * For an index, each platform's manifest is pushed by digest before the index: a registry
 * refuses a manifest whose references it does not hold.
 */
public final class ImagePusher {
    private static final int MAX_INDEX_DEPTH = 4;

    private final RegistryClient client;
    private final ContentStore store;

    public ImagePusher(RegistryClient client, ContentStore store) {
        this.client = client;
        this.store = store;
    }

    /**
     * Pushes to an image reference: under its tag ("latest" when it has neither tag nor digest),
     * or by digest alone when it names only a digest.
     */
    public Digest push(ImageReference reference, byte[] manifestBytes, String mediaType,
                       Map<Digest, Repository> mountHints, ProgressListener listener) throws IOException {
        if (reference.digest().isPresent() && !reference.digest().get().equals(Digest.sha256(manifestBytes))) {
            throw new InvalidManifestException("cannot push to " + reference + ": the manifest's digest is "
                    + Digest.sha256(manifestBytes));
        }
        String tag = reference.tag().orElse(reference.digest().isPresent() ? null : ImageReference.DEFAULT_TAG);
        return push(Repository.of(reference), tag, manifestBytes, mediaType, mountHints, listener);
    }

    /** Pushes the manifest or index {@code manifestBytes} (whose blobs are in the store) as {@code repo:tag}; returns its digest. */
    public Digest push(Repository repo, String tag, byte[] manifestBytes, String mediaType, ProgressListener listener)
            throws IOException {
        return push(repo, tag, manifestBytes, mediaType, Map.of(), listener);
    }

    /**
     * @param tag        the tag to push under, or null to push by digest only
     * @param mountHints for some blobs, a repository (on any registry) known to hold them: one on
     *                   the target's registry is asked for a cross-repository mount first
     */
    public Digest push(Repository repo, String tag, byte[] manifestBytes, String mediaType,
                       Map<Digest, Repository> mountHints, ProgressListener listener) throws IOException {
        Digest digest = pushDocument(repo, manifestBytes, mediaType, mountHints, listener, 0);
        return client.putManifest(repo, tag != null ? tag : digest.toString(), manifestBytes, mediaType);
    }

    /** Pushes what a document references; returns its digest (the caller puts the document itself). */
    private Digest pushDocument(Repository repo, byte[] bytes, String mediaType, Map<Digest, Repository> hints,
                                ProgressListener listener, int depth) throws IOException {
        RemoteManifest doc = new RemoteManifest(bytes, RemoteManifest.mediaTypeOf(mediaType, bytes), Digest.sha256(bytes));
        if (doc.isIndex()) {
            if (depth >= MAX_INDEX_DEPTH) {
                throw new InvalidManifestException("indexes nested more than " + MAX_INDEX_DEPTH + " deep");
            }
            ImageIndex index = doc.index();
            for (Descriptor child : index.manifests()) {
                Digest childDigest = child.parsedDigest();
                if (!store.has(childDigest)) {
                    throw new BlobNotFoundException(childDigest);
                }
                byte[] childBytes = store.read(childDigest);
                String childType = RemoteManifest.mediaTypeOf(child.mediaType(), childBytes);
                pushDocument(repo, childBytes, childType, hints, listener, depth + 1);
                client.putManifest(repo, childDigest.toString(), childBytes, childType);
            }
            return doc.digest();
        }
        Manifest manifest = doc.manifest();
        pushBlobs(repo, manifest, hints, listener);
        return doc.digest();
    }

    private void pushBlobs(Repository repo, Manifest manifest, Map<Digest, Repository> hints, ProgressListener listener)
            throws IOException {
        BlobPusher pusher = new BlobPusher(client, store);
        Map<Digest, Descriptor> layers = new LinkedHashMap<>();
        manifest.layers().forEach(l -> layers.putIfAbsent(l.parsedDigest(), l));
        List<BoundedParallel.IoTask> tasks = new ArrayList<>();
        Descriptor config = manifest.config();
        tasks.add(() -> pusher.push(repo, config, hints.get(config.parsedDigest()),
                LayerReporter.silent(config.parsedDigest(), config.size())));
        for (Descriptor layer : layers.values()) {
            Digest d = layer.parsedDigest();
            if (MediaTypes.DOCKER_LAYER_FOREIGN.equals(layer.mediaType()) || (layer.urls() != null && !layer.urls().isEmpty() && !store.has(d))) {
                continue; // foreign layers (image-layout "non-distributable") are not pushed: they live at their urls
            }
            LayerReporter progress = new LayerReporter(listener, d, layer.size());
            progress.report(LayerProgress.Phase.WAITING, 0);
            tasks.add(() -> {
                try {
                    pusher.push(repo, layer, hints.get(d), progress);
                } catch (IOException | RuntimeException e) {
                    progress.report(LayerProgress.Phase.FAILED, 0, e.getMessage());
                    throw e;
                }
            });
        }
        BoundedParallel.run(tasks, client.concurrency());
    }
}
