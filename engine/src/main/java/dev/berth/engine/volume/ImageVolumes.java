package dev.berth.engine.volume;

import dev.berth.engine.model.ContainerConfig;
import dev.berth.oci.image.ImageConfig;
import java.util.List;
import java.util.Map;

/** The destinations of VOLUME entries: an image's config.Volumes, or create's Config.Volumes (`docker run -v /data`). */
public final class ImageVolumes {
    private ImageVolumes() {}

    public static List<String> of(ImageConfig image) {
        return image == null || image.config() == null ? List.of() : keys(image.config().volumes());
    }

    public static List<String> of(ContainerConfig config) {
        return config == null ? List.of() : keys(config.volumes());
    }

    private static List<String> keys(Map<String, Object> volumes) {
        return volumes == null ? List.of() : volumes.keySet().stream().sorted().toList();
    }
}
