package dev.berth.oci.internal.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The databind mapper, built on first use only: building it costs 25-60 ms in a fresh JVM, which
 * a short-lived berth-runtime command should not pay when it only binds records. This class is
 * its own lazy holder: the JVM initializes it when {@link #mapper()} is first called.
 */
public final class Databind {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, false);

    private Databind() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
