package dev.berth.engine.image;

import dev.berth.image.Image;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.storage.Layer;
import dev.berth.storage.LayerStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code docker history} (GET /images/{name}/history), as dockerd builds it: one entry per
 * history record of the config, newest first; a record that made a layer (not empty_layer) gets
 * that layer's size (uncompressed, as unpacked; the blob's size if it is not unpacked); the
 * newest entry carries the image's ID and tags, older ones "&lt;missing&gt;" (dockerd names
 * them only when a local parent image has them, and Berth keeps no parent chain).
 */
public final class ImageHistory {
    private ImageHistory() {}

    /** One row; {@code created} in Unix seconds, {@code tags} null when there are none. */
    public record Entry(String id, long created, String createdBy, List<String> tags, long size, String comment) {}

    static List<Entry> of(Image image, LayerStore layers) {
        List<ImageConfig.History> history = image.history();
        List<Descriptor> blobs = image.layers();
        List<Entry> out = new ArrayList<>();
        int layer = 0;
        if (history.isEmpty()) {
            for (int i = 0; i < blobs.size(); i++) {
                out.add(new Entry("<missing>", 0, "", null, size(image, layers, i), ""));
            }
        }
        for (ImageConfig.History h : history) {
            long size = 0;
            if (!Boolean.TRUE.equals(h.emptyLayer()) && layer < blobs.size()) {
                size = size(image, layers, layer++);
            }
            out.add(new Entry("<missing>", seconds(h.created()), h.createdBy() == null ? "" : h.createdBy(), null, size,
                    h.comment() == null ? "" : h.comment()));
        }
        List<Entry> newestFirst = new ArrayList<>(out.reversed());
        if (!newestFirst.isEmpty()) {
            Entry top = newestFirst.getFirst();
            List<String> tags = image.repoTags().stream().map(ImageReference::familiar).toList();
            newestFirst.set(0, new Entry(image.id().toString(), top.created(), top.createdBy(), tags.isEmpty() ? null : tags,
                    top.size(), top.comment()));
        }
        return newestFirst;
    }

    private static long size(Image image, LayerStore layers, int i) {
        return layers.get(image.chainIds().get(i)).map(Layer::size).orElse(image.layers().get(i).size());
    }

    private static long seconds(String created) {
        if (created == null) {
            return 0;
        }
        try {
            return Instant.parse(created).getEpochSecond();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
