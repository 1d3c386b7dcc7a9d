package dev.berth.engine.image;

import dev.berth.image.Image;
import dev.berth.oci.image.ImageConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image as the API shows it: names in docker's short form ("busybox:latest"), sizes,
 * its config and layers.
 */
public record ImageView(String id, List<String> repoTags, List<String> repoDigests, Instant created, long size,
                        Map<String, String> labels, ImageConfig config, List<String> diffIds, List<Layer> layers) {

    /** One layer: its ChainID (the same layer in every image that has it) and its stored size. */
    public record Layer(String chainId, long size) {}

    static ImageView of(Image i) {
        List<Layer> layers = new ArrayList<>();
        for (int n = 0; n < i.chainIds().size() && n < i.layers().size(); n++) {
            layers.add(new Layer(i.chainIds().get(n).toString(), i.layers().get(n).size()));
        }
        return new ImageView(i.id().toString(), i.repoTags().stream().map(r -> r.familiar()).toList(),
                i.repoDigests().stream().map(Object::toString).toList(), i.created().orElse(null), i.contentSize(),
                i.labels(), i.config(), i.diffIds().stream().map(Object::toString).toList(), List.copyOf(layers));
    }
}
