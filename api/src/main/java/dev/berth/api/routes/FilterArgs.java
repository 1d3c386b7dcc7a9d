package dev.berth.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.http.HttpException;
import dev.berth.api.http.Query;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code filters} query parameter (api/types/filters): {@code {"key":{"value":true}}}
 * from current clients, {@code {"key":["value"]}} from old ones; both become key to values.
 */
final class FilterArgs {
    private FilterArgs() {}

    static Map<String, List<String>> of(Query query) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        JsonNode root = query.json("filters").orElse(null);
        if (root == null || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw HttpException.badRequest("invalid filter: filters must be a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                v.fields().forEachRemaining(f -> {
                    if (f.getValue().asBoolean(false)) {
                        values.add(f.getKey());
                    }
                });
            } else if (v.isArray()) {
                v.forEach(x -> values.add(x.asText()));
            } else {
                throw HttpException.badRequest("invalid filter '" + e.getKey() + "'");
            }
            out.put(e.getKey(), values);
        }
        return out;
    }
}
