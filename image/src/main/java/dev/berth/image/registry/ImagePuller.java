package dev.berth.image.registry;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Manifest;
import dev.berth.oci.image.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pulls an image into a content store (spec.md, "pull"): resolve the tag or digest to a manifest,
 * choose the platform's manifest when it is an index, then fetch the config and the layers in
 * parallel (at most {@link RegistryClient#concurrency()} at once, each on a virtual thread),
 * skipping blobs the store already holds. Manifests and indexes are kept in the store too, so
 * that the image can be pushed or saved later byte for byte.
 * <p>
 * Nothing partial is ever left: each blob is verified before it becomes visible, and a failure
 * abandons what it was writing, so running the same pull again after an error just works.
 */
public final class ImagePuller {
    /** An index pointing at an index is allowed, but not without end. */
    private static final int MAX_INDEX_DEPTH = 4;

    private final RegistryClient client;
    private final ContentStore store;

    public ImagePuller(RegistryClient client, ContentStore store) {
        this.client = client;
        this.store = store;
    }

    /**
     * Pulls an image reference for a platform: by its digest when it has one (a tag beside a
     * digest is ignored, as docker does), else by its tag, else "latest".
     */
    public PulledImage pull(ImageReference reference, Platform platform, ProgressListener listener) throws IOException {
        String ref = reference.digest().map(Digest::toString)
                .orElseGet(() -> reference.tag().orElse(ImageReference.DEFAULT_TAG));
        return pull(Repository.of(reference), ref, platform, listener);
    }

    /** Pulls {@code reference} (a tag, or a digest "sha256:...") for the host's platform. */
    public PulledImage pull(Repository repo, String reference, ProgressListener listener) throws IOException {
        return pull(repo, reference, Platform.host(), listener);
    }

    public PulledImage pull(Repository repo, String reference, Platform platform, ProgressListener listener) throws IOException {
        RemoteManifest top = client.getManifest(repo, reference);
        RemoteManifest current = top;
        String display = repo.familiarName() + (ManifestGet.isDigest(reference) ? "@" : ":") + reference;
        for (int depth = 0; current.isIndex(); depth++) {
            if (depth >= MAX_INDEX_DEPTH) {
                throw new InvalidManifestException(display + ": indexes nested more than " + MAX_INDEX_DEPTH + " deep");
            }
            Descriptor chosen = PlatformSelector.select(current.index(), platform, display);
            keep(current);
            current = client.getManifest(repo, chosen.digest()); // verified against the digest the index names
        }
        Manifest manifest = current.manifest();
        keep(current);

        Descriptor config = manifest.config();
        fetchAll(repo, config, manifest.layers(), listener);
        byte[] configBytes = store.read(config.parsedDigest());
        return new PulledImage(repo, reference, top.digest(), current.digest(), current.mediaType(), current.bytes(),
                manifest, config, configBytes, List.copyOf(manifest.layers()));
    }

    private void keep(RemoteManifest m) throws IOException {
        if (!store.has(m.digest())) {
            try (ContentStore.BlobWriter w = store.begin(m.digest(), m.bytes().length)) {
                w.write(m.bytes());
                w.commit();
            }
        }
    }

    /** The config (no progress: docker shows none for it), then each distinct layer in parallel. */
    private void fetchAll(Repository repo, Descriptor config, List<Descriptor> layers, ProgressListener listener) throws IOException {
        Map<Digest, Descriptor> distinct = new LinkedHashMap<>();
        for (Descriptor layer : layers) {
            distinct.putIfAbsent(layer.parsedDigest(), layer);
        }
        Digest configDigest = config.parsedDigest();
        if (!store.has(configDigest)) {
            // First and alone: it is small, the layers are of no use without it, and a failure
            // then names the blob that really failed rather than whichever task lost a race.
            client.fetchBlob(repo, config, store, LayerReporter.silent(configDigest, config.size()));
        }
        List<BoundedParallel.IoTask> tasks = new ArrayList<>();
        for (Descriptor layer : distinct.values()) {
            Digest d = layer.parsedDigest();
            LayerReporter progress = new LayerReporter(listener, d, layer.size());
            if (store.has(d)) {
                progress.report(LayerProgress.Phase.ALREADY_EXISTS, layer.size());
                continue;
            }
            progress.report(LayerProgress.Phase.WAITING, 0);
            tasks.add(() -> {
                try {
                    client.fetchBlob(repo, layer, store, progress);
                } catch (IOException | RuntimeException e) {
                    progress.report(LayerProgress.Phase.FAILED, 0, e.getMessage());
                    throw e;
                }
                progress.report(LayerProgress.Phase.DOWNLOADED, layer.size());
            });
        }
        BoundedParallel.run(tasks, client.concurrency());
    }
}
