package dev.berth.oci.internal.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a record class's shape once: its components, their JSON names, the order they are
 * written in and which nulls are left out, from the annotations databind would honour:
 * {@code @JsonProperty} (a rename), {@code @JsonInclude}, {@code @JsonPropertyOrder} and
 * {@code @JsonIgnoreProperties} (unknown members are always ignored, as Json's mapper is set to).
 *
 * <p>Annotations on a record component land on the generated field, accessor and constructor
 * parameter, whichever the annotation's target allows; Jackson's targets include FIELD, so the
 * field is where they are looked for.
 */
final class RecordLayout {
    private RecordLayout() {}

    /** The record's codec, or null if it carries Jackson annotations the binder does not model. */
    static RecordCodec of(Class<?> type) {
        Include classRule = Include.ALWAYS;
        String[] order = {};
        boolean alphabetic = false;
        for (Annotation a : type.getDeclaredAnnotations()) {
            if (a instanceof JsonInclude i && Annotations.supported(i)) {
                classRule = Include.of(i, classRule);
            } else if (a instanceof JsonPropertyOrder o) {
                order = o.value();
                alphabetic = o.alphabetic();
            } else if (a instanceof JsonIgnoreProperties ignore && ignore.value().length == 0) {
                continue; // unknown members are ignored anyway
            } else if (Annotations.isJackson(a)) {
                return null;
            }
        }
        RecordComponent[] components = type.getRecordComponents();
        List<Property> declared = new ArrayList<>(components.length);
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            parameterTypes[i] = rc.getType();
            String name = rc.getName();
            Include rule = classRule;
            for (Annotation a : field(type, rc.getName()).getDeclaredAnnotations()) {
                if (a instanceof JsonProperty p && Annotations.plain(p)) {
                    name = p.value().isEmpty() ? name : p.value();
                } else if (a instanceof JsonInclude inc && Annotations.supported(inc)) {
                    rule = Include.of(inc, rule);
                } else if (Annotations.isJackson(a)) {
                    return null;
                }
            }
            if (!rc.getAccessor().trySetAccessible()) {
                return null;
            }
            Object absent = rc.getType().isPrimitive() ? Array.get(Array.newInstance(rc.getType(), 1), 0) : null;
            declared.add(new Property(name, -1, i, rc.getGenericType(), rc.getAccessor(), absent, rule));
        }
        Constructor<?> constructor;
        try {
            constructor = type.getDeclaredConstructor(parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
        }
        if (!constructor.trySetAccessible()) {
            return null;
        }
        List<Property> ordered = writeOrder(declared, order, alphabetic);
        Property[] properties = new Property[ordered.size()];
        Map<String, Property> byName = new HashMap<>();
        for (int i = 0; i < properties.length; i++) {
            Property p = ordered.get(i);
            properties[i] = new Property(p.name(), i, p.position(), p.type(), p.accessor(), p.absent(), p.include());
            if (byName.put(p.name(), properties[i]) != null) {
                return null; // two components with one JSON name: databind refuses the type, let it say so
            }
        }
        return new RecordCodec(type, constructor, properties, byName);
    }

    /** As databind: the names @JsonPropertyOrder lists first, then the rest in declaration (or name) order. */
    private static List<Property> writeOrder(List<Property> declared, String[] order, boolean alphabetic) {
        if (order.length == 0 && !alphabetic) {
            return declared;
        }
        List<Property> rest = new ArrayList<>(declared);
        List<Property> ordered = new ArrayList<>();
        for (String name : order) {
            for (Property p : rest) {
                if (p.name().equals(name) || p.accessor().getName().equals(name)) {
                    ordered.add(p);
                    rest.remove(p);
                    break;
                }
            }
        }
        if (alphabetic) {
            rest.sort(Comparator.comparing(Property::name));
        }
        ordered.addAll(rest);
        return ordered;
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("record " + type.getName() + " has no field for component " + name, e);
        }
    }
}
