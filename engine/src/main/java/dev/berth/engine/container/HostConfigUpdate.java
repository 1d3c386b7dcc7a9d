package dev.berth.engine.container;

import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Json;
import java.util.Iterator;
import java.util.Map;

/**
 * docker update's body (the resource fields of HostConfig plus RestartPolicy) laid over a
 * container's HostConfig: fields given replace the old ones, absent ones are kept.
 */
final class HostConfigUpdate {
    private HostConfigUpdate() {}

    static HostConfig apply(HostConfig current, HostConfig changes) {
        if (changes == null) {
            return current;
        }
        var mapper = Json.mapper();
        var base = current == null ? mapper.createObjectNode() : (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(current);
        var delta = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.valueToTree(changes);
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = delta.fields(); it.hasNext(); ) {
            var field = it.next();
            if (!field.getValue().isNull() && !isZero(field.getValue())) {
                base.set(field.getKey(), field.getValue());
            }
        }
        try {
            return mapper.treeToValue(base, HostConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CLI sends zeros for flags not given; docker treats zero as "unchanged". */
    private static boolean isZero(com.fasterxml.jackson.databind.JsonNode v) {
        return (v.isNumber() && v.asLong() == 0) || (v.isTextual() && v.asText().isEmpty())
                || (v.isObject() && v.has("Name") && v.get("Name").asText().isEmpty());
    }
}
