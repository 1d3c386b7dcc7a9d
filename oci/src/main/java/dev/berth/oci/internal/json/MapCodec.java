package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code Map<String, T>} as a JSON object. Read into a LinkedHashMap, as databind does, so that
 * annotations and sysctls keep the file's order when written back.
 */
final class MapCodec implements Codec {
    private final Codec values;

    MapCodec(Codec values) {
        this.values = values;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw Errors.mismatch(p, "an object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
            map.put(key, p.nextToken() == JsonToken.VALUE_NULL ? null : values.read(p));
        }
        return map;
    }

    @Override
    public void write(JsonGenerator g, Object value) throws IOException {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            g.writeFieldName(key(e.getKey()));
            if (e.getValue() == null) {
                g.writeNull();
            } else {
                values.write(g, e.getValue());
            }
        }
        g.writeEndObject();
    }

    /** JSON names are strings; like databind, other keys are written with toString and null is refused. */
    static String key(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("a map with a null key cannot be written as JSON");
        }
        return key instanceof Enum<?> e ? e.name() : key.toString();
    }
}
