package dev.berth.image.registry;

/**
 * Receives per-layer progress of a pull or push, so that a CLI can draw docker's bars. Called
 * from the worker threads (several layers move at once): implementations must be thread-safe
 * and quick.
 */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(LayerProgress progress);

    static ProgressListener none() {
        return p -> {};
    }
}
