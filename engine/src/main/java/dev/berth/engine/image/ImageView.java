package dev.berth.engine.image;

import dev.berth.image.Image;
import dev.berth.oci.image.ImageConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image as the API shows it: names in docker's short form ("busybox:latest"), sizes,
 * its config and layers.
 */
public record ImageView(String id, List<String> repoTags, List<String> repoDigests, Instant created, long size,
                        Map<String, String> labels, ImageConfig config, List<String> diffIds) {

    static ImageView of(Image i) {
        return new ImageView(i.id().toString(), i.repoTags().stream().map(r -> r.familiar()).toList(),
                i.repoDigests().stream().map(Object::toString).toList(), i.created().orElse(null), i.contentSize(),
                i.labels(), i.config(), i.diffIds().stream().map(Object::toString).toList());
    }
}
