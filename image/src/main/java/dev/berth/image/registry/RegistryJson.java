package dev.berth.image.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jackson mapper for what registries send (manifests, indexes, token and error bodies).
 * Unknown fields are ignored: the specs let documents grow.
 */
final class RegistryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RegistryJson() {}

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
