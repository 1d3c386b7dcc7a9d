package dev.berth.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jackson mapper for image documents (manifests, configs, indexes, the store's own records).
 * The image module keeps its own rather than borrowing the runtime's start-up-tuned JSON binder:
 * here databind's full feature set matters more than its first-call cost.
 */
public final class ImageJson {
    /** Unknown fields are ignored: image documents grow new fields (image-spec: "MUST ignore unknown"). */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ImageJson() {}
}
