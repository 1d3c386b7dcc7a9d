package dev.berth.image;

import dev.berth.oci.image.Digest;

/** No blob with this digest is in the store. */
public final class BlobNotFoundException extends java.io.IOException {
    public BlobNotFoundException(Digest digest) {
        super("blob " + digest + " not found");
    }
}
