package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Object}: read as databind's "untyped" values (LinkedHashMap, ArrayList, String, Integer,
 * Long or BigInteger by size, Double, Boolean, null); written by the value's runtime class.
 * Writing is the binder's entry point for any value, so its tests are instanceof chains rather
 * than a pattern switch, whose bootstrap would cost start-up time.
 */
final class AnyCodec implements Codec {
    static final AnyCodec INSTANCE = new AnyCodec();

    private AnyCodec() {}

    @Override
    public Object read(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                    map.put(key, p.nextToken() == JsonToken.VALUE_NULL ? null : read(p));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    list.add(t == JsonToken.VALUE_NULL ? null : read(p));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_EMBEDDED_OBJECT -> p.getEmbeddedObject();
            default -> throw Errors.mismatch(p, "a JSON value");
        };
    }

    @Override
    public void write(JsonGenerator g, Object value) throws IOException {
        writeValue(g, value);
    }

    static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Record) {
            Codecs.of(v.getClass()).write(g, v);
        } else if (v instanceof Enum<?> e) {
            Codecs.of(e.getDeclaringClass()).write(g, v); // a constant with a body is a subclass

        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(MapCodec.key(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object e : c) {
                writeValue(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof JsonNode n) {
            TreeCodec.writeNode(g, n);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof Short s) {
            g.writeNumber(s);
        } else if (v instanceof Byte b) {
            g.writeNumber(b);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof Character c) {
            g.writeString(c.toString());
        } else {
            Codecs.of(v.getClass()).write(g, v);
        }
    }
}
