package dev.berth.oci.image;

/** Media types of the OCI image spec (media-types.md) and Docker's image manifest v2 schema 2. */
public final class MediaTypes {
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYOUT_HEADER = "application/vnd.oci.layout.header.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    private MediaTypes() {}

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    /** The compression of a layer media type: "none", "gzip" or "zstd"; null if it is not a layer. */
    public static String layerCompression(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        return switch (mediaType) {
            case OCI_LAYER -> "none";
            case OCI_LAYER_GZIP, DOCKER_LAYER_GZIP, DOCKER_LAYER_FOREIGN -> "gzip";
            case OCI_LAYER_ZSTD -> "zstd";
            default -> null;
        };
    }
}
