package dev.berth.oci.internal.json;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

/**
 * One record component as a JSON member.
 *
 * @param name     the JSON name (the component's, or its {@code @JsonProperty})
 * @param index    its place in write order, which is also its slot in the record's codec array
 * @param position its place in the canonical constructor
 * @param absent   the value when the member is missing or null: null, or zero for a primitive
 */
record Property(String name, int index, int position, Type type, Method accessor, Object absent, Include include) {

    Object get(Object record) {
        try {
            return accessor.invoke(record);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(accessor + " failed", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
