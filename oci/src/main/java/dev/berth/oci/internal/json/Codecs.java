package dev.berth.oci.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The codec for each Java type, made once per type and kept: reflecting on a record is the
 * binder's only real set-up cost, and it is paid per class, not per document.
 */
final class Codecs {
    private static final ConcurrentMap<Type, Codec> CACHE = new ConcurrentHashMap<>();

    private Codecs() {}

    static Codec of(Type type) {
        Codec codec = CACHE.get(type);
        if (codec == null) {
            // Not computeIfAbsent: making a list's codec makes its element's, a nested update
            // ConcurrentHashMap forbids. Two threads racing here make equal codecs; one is kept.
            codec = create(type);
            Codec raced = CACHE.putIfAbsent(type, codec);
            if (raced != null) {
                codec = raced;
            }
        }
        return codec;
    }

    private static Codec create(Type type) {
        if (type instanceof Class<?> c) {
            return forClass(c);
        } else if (type instanceof ParameterizedType pt && pt.getRawType() instanceof Class<?> raw) {
            Type[] args = pt.getActualTypeArguments();
            if (isList(raw)) {
                return new ListCodec(of(args[0]));
            } else if (raw == Map.class && args[0] == String.class) {
                return new MapCodec(of(args[1]));
            }
        } else if (type instanceof WildcardType w) {
            return of(w.getUpperBounds()[0]);
        } else if (type instanceof TypeVariable<?>) {
            return AnyCodec.INSTANCE;
        }
        return new DatabindCodec(type);
    }

    private static Codec forClass(Class<?> c) {
        Scalar scalar = Scalar.of(c);
        if (scalar != null) {
            return scalar;
        } else if (c.isRecord()) {
            RecordCodec record = RecordLayout.of(c);
            return record != null ? record : new DatabindCodec(c);
        } else if (c == Object.class) {
            return AnyCodec.INSTANCE;
        } else if (isList(c)) {
            return new ListCodec(AnyCodec.INSTANCE);
        } else if (c == Map.class) {
            return new MapCodec(AnyCodec.INSTANCE);
        } else if (c.isEnum()) {
            EnumCodec e = EnumCodec.of(c);
            return e != null ? e : new DatabindCodec(c);
        } else if (JsonNode.class.isAssignableFrom(c)) {
            return new TreeCodec(c);
        }
        return new DatabindCodec(c);
    }

    /** The collection types read as an ArrayList: what a declared type of List or Collection can hold. */
    private static boolean isList(Class<?> c) {
        return c == List.class || c == Collection.class || c == ArrayList.class || c == Iterable.class;
    }
}
