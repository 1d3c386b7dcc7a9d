package dev.berth.oci.internal.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/** Which values a record member leaves out when written: the subset of @JsonInclude the binder models. */
enum Include {
    ALWAYS,
    NON_NULL,
    NON_EMPTY;

    boolean skips(Object value) {
        return switch (this) {
            case ALWAYS -> false;
            case NON_NULL -> value == null;
            case NON_EMPTY -> value == null
                    || value instanceof String s && s.isEmpty()
                    || value instanceof Collection<?> c && c.isEmpty()
                    || value instanceof Map<?, ?> m && m.isEmpty()
                    || value.getClass().isArray() && Array.getLength(value) == 0;
        };
    }

    /** The rule {@code annotation} sets, or {@code inherited} if it defers (USE_DEFAULTS). */
    static Include of(JsonInclude annotation, Include inherited) {
        return switch (annotation.value()) {
            case ALWAYS -> ALWAYS;
            case NON_NULL -> NON_NULL;
            case NON_EMPTY -> NON_EMPTY;
            default -> inherited;
        };
    }
}
