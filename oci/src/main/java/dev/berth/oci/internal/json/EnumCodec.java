package dev.berth.oci.internal.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;

/**
 * An enum as the string of its constant's name, or of the constant's {@code @JsonProperty}.
 * Unlike databind, a number is not taken as an ordinal: the spec never writes one.
 */
final class EnumCodec implements Codec {
    private final Map<String, Object> byName;
    private final Map<Object, String> names;

    private EnumCodec(Map<String, Object> byName, Map<Object, String> names) {
        this.byName = byName;
        this.names = names;
    }

    /** The codec, or null if the enum uses Jackson annotations beyond {@code @JsonProperty} on constants. */
    static EnumCodec of(Class<?> type) {
        if (Annotations.anyJackson(type)) {
            return null;
        }
        for (var m : type.getDeclaredMethods()) {
            if (Annotations.anyJackson(m)) {
                return null; // @JsonValue, @JsonCreator: databind's business
            }
        }
        Map<String, Object> byName = new HashMap<>();
        Map<Object, String> names = new HashMap<>();
        for (Field f : type.getDeclaredFields()) {
            if (!f.isEnumConstant()) {
                continue;
            }
            String name = f.getName();
            for (Annotation a : f.getDeclaredAnnotations()) {
                if (a instanceof JsonProperty jp && Annotations.plain(jp)) {
                    name = jp.value().isEmpty() ? name : jp.value();
                } else if (Annotations.isJackson(a)) {
                    return null;
                }
            }
            Object constant = constant(type, f.getName());
            byName.put(name, constant);
            names.put(constant, name);
        }
        return new EnumCodec(byName, names);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object constant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    @Override
    public Object read(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw Errors.mismatch(p, "a string");
        }
        Object value = byName.get(p.getText());
        if (value == null) {
            throw Errors.at(p, "expected one of " + byName.keySet().stream().sorted().toList() + ", got \"" + p.getText() + "\"");
        }
        return value;
    }

    @Override
    public void write(JsonGenerator g, Object value) throws IOException {
        g.writeString(names.get(value));
    }

}
