package dev.berth.image;

import dev.berth.oci.image.Digest;

/** Content did not match the digest or size it was announced with; nothing was kept. */
public final class DigestMismatchException extends java.io.IOException {
    public DigestMismatchException(Digest expected, Digest actual, long expectedSize, long actualSize) {
        super(expectedSize >= 0 && expectedSize != actualSize
                ? "size mismatch for " + expected + ": expected " + expectedSize + " bytes, got " + actualSize
                : "digest mismatch: expected " + expected + ", got " + actual);
    }
}
