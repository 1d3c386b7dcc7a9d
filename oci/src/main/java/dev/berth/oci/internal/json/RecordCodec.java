package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * A record as a JSON object, built through its canonical constructor. Absent members and JSON
 * nulls become null (or zero for primitives, as databind does); unknown members are skipped, as
 * the runtime spec allows. Written in {@link RecordLayout}'s order, leaving out what its
 * inclusion rule excludes.
 *
 * <p>Each member's codec is looked up the first time that member is read or written, not when
 * this is built: a record that contains itself (through a list, say) must not recurse forever,
 * and the members a document leaves out (most of config.json's) should cost nothing.
 */
final class RecordCodec implements Codec {
    private final Class<?> type;
    private final Constructor<?> constructor;
    private final Property[] properties;
    private final Map<String, Property> byName;
    private final Object[] absent;
    /** Filled in on first use. Racy but safe: every codec is immutable, with only final fields. */
    private final Codec[] codecs;

    RecordCodec(Class<?> type, Constructor<?> constructor, Property[] properties, Map<String, Property> byName) {
        this.type = type;
        this.constructor = constructor;
        this.properties = properties;
        this.byName = byName;
        this.codecs = new Codec[properties.length];
        this.absent = new Object[properties.length];
        for (Property p : properties) {
            absent[p.position()] = p.absent();
        }
    }

    @Override
    public Object read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw Errors.mismatch(p, "an object");
        }
        JsonLocation start = p.currentTokenLocation();
        Object[] args = absent.clone();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken t = p.nextToken();
            Property property = byName.get(name);
            if (property == null) {
                p.skipChildren();
            } else if (t == JsonToken.VALUE_NULL) {
                args[property.position()] = property.absent();
            } else {
                args[property.position()] = codec(property).read(p);
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            // The record's own constructor refused the values: say where in the document they are.
            Throwable refusal = e.getTargetException();
            String why = refusal.getMessage() != null ? refusal.getMessage() : refusal.toString();
            throw Errors.at(p.getParsingContext(), why, start);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    @Override
    public void write(JsonGenerator g, Object record) throws IOException {
        g.writeStartObject();
        for (Property property : properties) {
            Object value = property.get(record);
            if (property.include().skips(value)) {
                continue;
            }
            g.writeFieldName(property.name());
            if (value == null) {
                g.writeNull();
            } else {
                codec(property).write(g, value);
            }
        }
        g.writeEndObject();
    }

    private Codec codec(Property property) {
        Codec c = codecs[property.index()];
        if (c == null) {
            c = Codecs.of(property.type());
            codecs[property.index()] = c;
        }
        return c;
    }
}
