package dev.berth.image.registry;

import dev.berth.oci.image.Digest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A ProgressListener that keeps every event, for assertions. */
final class ProgressRecorder implements ProgressListener {
    private final List<LayerProgress> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onProgress(LayerProgress progress) {
        events.add(progress);
    }

    List<LayerProgress> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The last phase each layer reached. */
    LayerProgress.Phase last(Digest layer) {
        return events().stream().filter(e -> e.digest().equals(layer)).reduce((a, b) -> b).map(LayerProgress::phase).orElse(null);
    }

    List<LayerProgress.Phase> phases(Digest layer) {
        return events().stream().filter(e -> e.digest().equals(layer)).map(LayerProgress::phase).distinct().toList();
    }
}
