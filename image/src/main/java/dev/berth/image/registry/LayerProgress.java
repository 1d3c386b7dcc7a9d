package dev.berth.image.registry;

import dev.berth.oci.image.Digest;

/**
 * Where one layer is: its digest, phase, bytes moved so far and its size. {@code detail} holds
 * the source repository for MOUNTED and the reason for RETRYING and FAILED.
 */
public record LayerProgress(Digest digest, Phase phase, long done, long total, String detail) {

    public enum Phase {
        /** Queued behind the concurrency limit. */
        WAITING,
        DOWNLOADING,
        PUSHING,
        /** A transient failure: the layer starts again (done is back to 0). */
        RETRYING,
        /** All bytes are in; the digest is being checked. */
        VERIFYING,
        DOWNLOADED,
        PUSHED,
        /** Pushed by cross-repository mount: no bytes moved. */
        MOUNTED,
        /** Already in the local store (pull) or in the registry (push): nothing to move. */
        ALREADY_EXISTS,
        FAILED;

        public boolean terminal() {
            return this == DOWNLOADED || this == PUSHED || this == MOUNTED || this == ALREADY_EXISTS || this == FAILED;
        }
    }

    /** The short id docker prints in front of each bar: the first 12 hex digits. */
    public String shortId() {
        return digest.encoded().substring(0, 12);
    }

    /** docker's words for the phase ("Pull complete" is said after unpacking, which is not ours). */
    public String dockerStatus(boolean push) {
        return switch (phase) {
            case WAITING -> "Waiting";
            case DOWNLOADING -> "Downloading";
            case PUSHING -> "Pushing";
            case RETRYING -> "Retrying (" + detail + ")";
            case VERIFYING -> "Verifying Checksum";
            case DOWNLOADED -> "Download complete";
            case PUSHED -> "Pushed";
            case MOUNTED -> "Mounted from " + detail;
            case ALREADY_EXISTS -> push ? "Layer already exists" : "Already exists";
            case FAILED -> "Failed: " + detail;
        };
    }
}
