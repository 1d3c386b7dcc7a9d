package dev.berth.image.registry;

import dev.berth.oci.image.Digest;

/** Sends one layer's progress to a listener (a no-op for blobs that are not layers, such as configs). */
final class LayerReporter {
    private final ProgressListener listener;
    private final Digest digest;
    private final long total;

    LayerReporter(ProgressListener listener, Digest digest, long total) {
        this.listener = listener;
        this.digest = digest;
        this.total = total;
    }

    static LayerReporter silent(Digest digest, long total) {
        return new LayerReporter(ProgressListener.none(), digest, total);
    }

    void report(LayerProgress.Phase phase, long done) {
        report(phase, done, null);
    }

    void report(LayerProgress.Phase phase, long done, String detail) {
        listener.onProgress(new LayerProgress(digest, phase, done, total, detail));
    }
}
