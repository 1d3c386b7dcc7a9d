package dev.berth.oci.internal.json;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;

/**
 * Which Jackson annotations the binder understands. A type that carries any other (or a
 * supported one with settings it does not model) is bound by databind instead, so that the two
 * never disagree silently about what a type's JSON looks like.
 */
final class Annotations {
    private Annotations() {}

    static boolean isJackson(Annotation a) {
        Class<? extends Annotation> type = a.annotationType();
        return type.getPackageName().startsWith("com.fasterxml.jackson")
                || type.isAnnotationPresent(JacksonAnnotationsInside.class);
    }

    static boolean anyJackson(AnnotatedElement e) {
        for (Annotation a : e.getDeclaredAnnotations()) {
            if (isJackson(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A {@code @JsonProperty} that only renames: required properties, read- or write-only access
     * and explicit indexes change databind's behaviour in ways the binder does not copy.
     */
    static boolean plain(JsonProperty p) {
        return !p.required() && p.access() == JsonProperty.Access.AUTO && p.index() == JsonProperty.INDEX_UNKNOWN;
    }

    /** Inclusion rules the binder applies: by value only, with no filters and no rule on map contents. */
    static boolean supported(JsonInclude i) {
        boolean value = switch (i.value()) {
            case ALWAYS, NON_NULL, NON_EMPTY, USE_DEFAULTS -> true;
            // NON_ABSENT is about Optionals, which the binder leaves to databind; NON_DEFAULT and CUSTOM need
            // databind's notion of a default value.
            default -> false;
        };
        boolean content = i.content() == JsonInclude.Include.ALWAYS || i.content() == JsonInclude.Include.USE_DEFAULTS;
        return value && content && i.valueFilter() == Void.class && i.contentFilter() == Void.class;
    }
}
