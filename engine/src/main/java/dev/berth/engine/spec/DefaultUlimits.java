package dev.berth.engine.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.model.HostConfig;
import dev.berth.oci.runtime.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * daemon.json's default-ulimits: every container gets them, except those it sets itself (by
 * name). Applied to the config.json only; inspect shows the container's own HostConfig, as
 * dockerd's does.
 */
public final class DefaultUlimits {
    private DefaultUlimits() {}

    public static HostConfig apply(HostConfig h, Map<String, HostConfig.Ulimit> defaults) {
        if (defaults == null || defaults.isEmpty()) {
            return h;
        }
        Map<String, HostConfig.Ulimit> merged = new LinkedHashMap<>();
        defaults.forEach((name, u) -> merged.put(name, new HostConfig.Ulimit(u.name() == null ? name : u.name(), u.soft(), u.hard())));
        if (h != null && h.ulimits() != null) {
            h.ulimits().forEach(u -> merged.put(u.name(), u));
        }
        ObjectNode tree = h == null ? Json.mapper().createObjectNode() : Json.mapper().valueToTree(h);
        tree.set("Ulimits", Json.mapper().valueToTree(List.copyOf(merged.values())));
        try {
            return Json.mapper().treeToValue(tree, HostConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
