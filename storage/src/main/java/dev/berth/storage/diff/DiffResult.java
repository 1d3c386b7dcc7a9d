package dev.berth.storage.diff;

import dev.berth.oci.image.Digest;

/**
 * A layer written by {@link DiffTar}.
 *
 * @param diffId     sha256 of the uncompressed tar (the image config's rootfs.diff_ids entry)
 * @param size       length of the uncompressed tar
 * @param digest     sha256 of the bytes written (the manifest's layer descriptor digest); equals
 *                   diffId when uncompressed
 * @param blobSize   length of the bytes written
 * @param mediaType  the OCI layer media type for that compression
 */
public record DiffResult(Digest diffId, long size, Digest digest, long blobSize, String mediaType) {
}
