package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * Reads and writes the values of one Java type over jackson-core's streaming API.
 *
 * <p>{@link #read} is called with the parser on the value's first token, never on a JSON null
 * (callers decide what null means for their slot), and leaves it on the value's last token.
 * {@link #write} is never given null.
 */
interface Codec {
    Object read(JsonParser p) throws IOException;

    void write(JsonGenerator g, Object value) throws IOException;
}
