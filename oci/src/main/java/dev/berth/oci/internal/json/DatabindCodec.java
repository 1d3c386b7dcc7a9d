package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.lang.reflect.Type;

/**
 * Hands one value to databind: for the types the binder does not model (classes that are not
 * records, records with Jackson annotations it does not interpret). Correct, but it pays
 * databind's first-use cost, so the types on berth-runtime's hot path must never land here.
 */
final class DatabindCodec implements Codec {
    private final Type type;

    DatabindCodec(Type type) {
        this.type = type;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
        var mapper = Databind.mapper();
        return mapper.readValue(p, mapper.constructType(type));
    }

    @Override
    public void write(JsonGenerator g, Object value) throws IOException {
        Databind.mapper().writeValue(g, value);
    }
}
