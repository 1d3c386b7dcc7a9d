package dev.berth.image.registry;

import dev.berth.image.BlobNotFoundException;
import dev.berth.image.ContentStore;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.net.URI;
import java.util.OptionalLong;

/**
 * Puts one stored blob into a repository, the cheapest way that works (spec.md, "pushing blobs"):
 * <ol>
 * <li>HEAD: the repository has it already ("Layer already exists");</li>
 * <li>cross-repository mount when the blob is known to live in another repository of the same
 *     registry; a registry that declines opens an upload session, used in the next step;</li>
 * <li>upload: POST then one PUT with the bytes when the blob fits in a chunk, else POST, PATCH
 *     chunk after chunk, and an empty PUT with the digest.</li>
 * </ol>
 * A transient failure during the upload restarts it from the HEAD (the offset a half-sent chunk
 * reached is unknown), within the client's retry policy.
 */
final class BlobPusher {
    private final RegistryClient client;
    private final ContentStore store;

    BlobPusher(RegistryClient client, ContentStore store) {
        this.client = client;
        this.store = store;
    }

    /** {@code mountFrom}: a repository on the same registry known to hold the blob, or null. */
    void push(Repository target, Descriptor blob, Repository mountFrom, LayerReporter progress) throws IOException {
        Digest digest = blob.parsedDigest();
        if (!store.has(digest)) {
            throw new BlobNotFoundException(digest);
        }
        long size = store.size(digest);
        if (blob.size() >= 0 && blob.size() != size) {
            throw new IOException("blob " + digest + " is " + size + " bytes in the store, but the manifest says " + blob.size());
        }
        RetryPolicy retry = client.retryPolicy();
        for (int attempt = 1; ; attempt++) {
            boolean uploading = false;
            try {
                OptionalLong there = client.headBlob(target, digest, Scope.push(target));
                if (there.isPresent()) {
                    progress.report(LayerProgress.Phase.ALREADY_EXISTS, size);
                    return;
                }
                URI location = null;
                if (mountFrom != null && mountFrom.registry().equals(target.registry()) && !mountFrom.name().equals(target.name())) {
                    MountResult m = client.mountBlob(target, digest, mountFrom.name());
                    if (m.mounted()) {
                        progress.report(LayerProgress.Phase.MOUNTED, size, mountFrom.name());
                        return;
                    }
                    location = m.uploadLocation();
                }
                if (location == null) {
                    location = client.startUpload(target);
                }
                uploading = true;
                progress.report(LayerProgress.Phase.PUSHING, 0);
                upload(target, digest, size, location, progress);
                progress.report(LayerProgress.Phase.PUSHED, size);
                return;
            } catch (RegistryUnavailableException e) {
                if (!uploading || attempt >= retry.maxAttempts()) {
                    throw e;
                }
                progress.report(LayerProgress.Phase.RETRYING, 0, "attempt " + (attempt + 1) + " of " + retry.maxAttempts() + ": " + e.getMessage());
                retry.sleepBefore(attempt + 1);
            }
        }
    }

    private void upload(Repository target, Digest digest, long size, URI location, LayerReporter progress) throws IOException {
        int chunk = client.chunkSize();
        if (size <= chunk) {
            client.finishUpload(target, location, digest, new BlobSlice(store, digest, 0, size, progress));
            return;
        }
        for (long offset = 0; offset < size; offset += chunk) {
            long length = Math.min(chunk, size - offset);
            location = client.uploadChunk(target, location, new BlobSlice(store, digest, offset, length, progress));
        }
        client.finishUpload(target, location, digest, null);
    }
}
