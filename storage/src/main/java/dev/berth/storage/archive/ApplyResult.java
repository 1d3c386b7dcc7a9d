package dev.berth.storage.archive;

import dev.berth.oci.image.Digest;

/**
 * What applying a layer found.
 *
 * @param diffId         sha256 of the uncompressed tar stream, every byte to its end (config.md
 *                       "rootfs.diff_ids")
 * @param size           length of that uncompressed stream
 * @param ignoredXattrs  extended attributes the target filesystem could not hold (EOPNOTSUPP) or
 *                       that were refused because they would steer overlayfs (trusted.overlay.*)
 */
public record ApplyResult(Digest diffId, long size, int ignoredXattrs) {
}
