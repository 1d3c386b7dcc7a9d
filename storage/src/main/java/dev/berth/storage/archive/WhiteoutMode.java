package dev.berth.storage.archive;

/**
 * What an OCI whiteout in a layer (image-spec layer.md "Whiteouts") turns into on disk.
 */
public enum WhiteoutMode {
    /**
     * Each layer is its own directory, stacked later by overlayfs: {@code .wh.name} becomes a
     * 0/0 character device {@code name}, and {@code .wh..wh..opq} the xattr
     * trusted.overlay.opaque=y on its directory (Documentation/filesystems/overlayfs.rst,
     * "Whiteouts and opaque directories").
     */
    OVERLAY,
    /**
     * The layer is applied onto a directory that already holds its lower layers: whiteouts delete
     * what they name, an opaque marker empties its directory of everything this layer did not put
     * there.
     */
    DELETE
}
