package dev.berth.oci.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.oci.internal.json.Binder;
import dev.berth.oci.internal.json.Databind;

/**
 * JSON for OCI documents and Berth's state files.
 *
 * <p>Records, lists, maps, scalars and Jackson trees go through a small streaming binder rather
 * than databind, whose first use in a fresh JVM costs more than a whole berth-runtime command
 * should (see {@link Binder} for what it supports and where it is stricter). The databind
 * mapper is still here for callers that want it, built on first call to {@link #mapper()}.
 */
public final class Json {
    private Json() {}

    /**
     * Parses {@code text} as {@code type}. A syntax or type error is a {@link SpecException} that
     * names the JSON path and position: {@code process.args: expected an array, got a string (line 3, column 12)}.
     */
    public static <T> T parse(String text, Class<T> type) {
        return Binder.parse(text, type);
    }

    /** Compact JSON; record members whose @JsonInclude says so are left out when null. */
    public static String write(Object value) {
        return Binder.write(value, false);
    }

    /** Indented JSON, in the layout of Jackson's default pretty printer. */
    public static String writePretty(Object value) {
        return Binder.write(value, true);
    }

    /**
     * The configured databind mapper (unknown properties ignored), for work the binder does not
     * do. Built on the first call: do not call it on a path where start-up time matters.
     */
    public static ObjectMapper mapper() {
        return Databind.mapper();
    }
}
