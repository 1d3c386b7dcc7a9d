package dev.berth.image.archive;

import dev.berth.oci.image.Digest;
import java.nio.charset.StandardCharsets;

/**
 * Names fixed by image-spec image-layout.md: the {@code oci-layout} marker file, {@code index.json},
 * and content under {@code blobs/<alg>/<encoded>}; and the annotations that name images in an
 * index (annotations.md).
 */
public final class OciLayout {
    public static final String LAYOUT_FILE = "oci-layout";
    public static final String INDEX_FILE = "index.json";
    public static final String BLOBS_DIR = "blobs";
    public static final String LAYOUT_VERSION = "1.0.0";

    /**
     * annotations.md: the reference name of a manifest in an index. By the spec's grammar and by
     * what skopeo's {@code oci:dir:NAME} matches, it is usually just the tag ("latest").
     */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    /**
     * containerd's (and docker 25+'s save) full image name, e.g. "docker.io/library/busybox:latest",
     * because the tag alone cannot say which repository it belongs to.
     */
    public static final String CONTAINERD_IMAGE_NAME = "io.containerd.image.name";

    private OciLayout() {}

    /** The blob's path inside a layout: {@code blobs/sha256/<hex>}. */
    public static String blobPath(Digest digest) {
        return BLOBS_DIR + "/" + digest.algorithm() + "/" + digest.encoded();
    }

    /** The {@code oci-layout} file's content. */
    public static byte[] layoutFile() {
        return ("{\"imageLayoutVersion\":\"" + LAYOUT_VERSION + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
