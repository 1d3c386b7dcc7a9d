package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A small JSON binder over jackson-core's streaming parser and generator, for the records of the
 * OCI specs and Berth's own state files.
 *
 * <p>Why not databind: in a fresh JVM its first use costs 150-300 ms (building the mapper,
 * introspecting every bean, generating serializers), more than everything else a berth-runtime
 * command does. This binder reflects on each record once (components, canonical constructor,
 * a handful of annotations) and then only walks tokens.
 *
 * <p>What it binds itself: records (through the canonical constructor), {@code List<T>} and
 * {@code Collection<T>}, {@code Map<String, T>}, String, int/long/boolean/double boxed or not,
 * enums, {@code Object} (as maps, lists and scalars) and Jackson trees. Anything else (another
 * class, a record with Jackson annotations beyond @JsonProperty renames, @JsonInclude by value,
 * @JsonPropertyOrder and @JsonIgnoreProperties) is handed to databind, value by value.
 *
 * <p>Where it differs from databind, on purpose: a scalar of the wrong JSON kind is an error (no
 * "12" for 12, no 12 for "12", no 1.5 for an int), as in runc's Go decoder; content after the
 * document is an error; and a record is bound from its components only, never from other
 * getter-like methods it may have.
 */
public final class Binder {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Binder() {}

    /** Parses {@code text} as a {@code type}; JSON null gives null. Errors name the JSON path and position. */
    @SuppressWarnings("unchecked")
    public static <T> T parse(String text, Class<T> type) {
        Codec codec = Codecs.of(type);
        try (JsonParser p = FACTORY.createParser(text)) {
            try {
                JsonToken first = p.nextToken();
                if (first == null) {
                    throw Errors.at(p.getParsingContext(), "no JSON value: the document is empty", null);
                }
                Object value = first == JsonToken.VALUE_NULL ? null : codec.read(p);
                JsonToken after = p.nextToken();
                if (after != null) {
                    throw Errors.at(p, "more content after the document: " + Errors.describe(after));
                }
                return (T) value;
            } catch (JsonProcessingException e) {
                throw Errors.from(e, p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code value} as compact JSON, or indented as databind's default pretty printer does. */
    public static String write(Object value, boolean pretty) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            AnyCodec.writeValue(g, value);
        } catch (IOException e) {
            // A StringWriter does not fail: this is a (non-null) value that databind could not serialize.
            throw new IllegalStateException("cannot write a " + value.getClass().getName() + " as JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
