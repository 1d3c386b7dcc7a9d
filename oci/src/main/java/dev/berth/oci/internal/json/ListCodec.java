package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code List<T>} (and {@code Collection<T>}) as a JSON array; read as an ArrayList, as databind does. */
final class ListCodec implements Codec {
    private final Codec elements;

    ListCodec(Codec elements) {
        this.elements = elements;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw Errors.mismatch(p, "an array");
        }
        List<Object> list = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            list.add(t == JsonToken.VALUE_NULL ? null : elements.read(p));
        }
        return list;
    }

    @Override
    public void write(JsonGenerator g, Object value) throws IOException {
        g.writeStartArray();
        for (Object e : (Iterable<?>) value) {
            if (e == null) {
                g.writeNull();
            } else {
                elements.write(g, e);
            }
        }
        g.writeEndArray();
    }
}
