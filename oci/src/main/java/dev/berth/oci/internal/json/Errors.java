package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import dev.berth.oci.runtime.SpecException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Error messages that let a user fix their file: the JSON path of the bad value, what was wrong,
 * and where, e.g. {@code process.args: expected an array, got a string (line 3, column 12)}.
 *
 * <p>The path is read off the parser's own context stack at the moment of the error, so that
 * reading a well-formed document never spends anything on paths.
 */
final class Errors {
    /** Jackson's "(start marker at [Source: REDACTED ...; line: 1, column: 5])", which we shorten. */
    private static final Pattern START_MARKER =
            Pattern.compile(" \\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)");
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private Errors() {}

    /** The value under the parser is not of the JSON kind the Java type needs. */
    static SpecException mismatch(JsonParser p, String expected) {
        return at(p, "expected " + expected + ", got " + describe(p.currentToken()));
    }

    static SpecException outOfRange(JsonParser p, String range) {
        String text;
        try {
            text = p.getText();
        } catch (IOException e) {
            text = "the number";
        }
        return at(p, text + " is out of range for " + range);
    }

    /** A problem with the value under the parser. */
    static SpecException at(JsonParser p, String problem) {
        return at(p.getParsingContext(), problem, p.currentTokenLocation());
    }

    static SpecException at(JsonStreamContext context, String problem, JsonLocation where) {
        String path = path(context);
        StringBuilder m = new StringBuilder();
        if (!path.isEmpty()) {
            m.append(path).append(": ");
        }
        m.append(problem);
        if (where != null && where.getLineNr() > 0) {
            m.append(" (line ").append(where.getLineNr()).append(", column ").append(where.getColumnNr()).append(')');
        }
        return new SpecException(m.toString());
    }

    /** A syntax error from the parser, or a binding error from a databind fallback. */
    static SpecException from(JsonProcessingException e, JsonParser p) {
        String message = e.getOriginalMessage();
        message = message == null ? "malformed JSON" : START_MARKER.matcher(message).replaceAll(" (opened at line $1, column $2)");
        JsonLocation where = e.getLocation() != null ? e.getLocation() : p.currentTokenLocation();
        return at(p.getParsingContext(), message, where);
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fractional number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case END_OBJECT -> "the end of an object";
            case END_ARRAY -> "the end of an array";
            case FIELD_NAME -> "a field name";
            default -> t.toString();
        };
    }

    /**
     * The path from the document's root to the parser's position: names joined by dots, array
     * indexes in brackets, and names that are not plain identifiers (sysctl keys, annotations)
     * quoted in brackets: {@code linux.sysctl["net.ipv4.ip_forward"]}. A context just opened by
     * the current token has no name or index yet and adds nothing.
     */
    static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray() && c.hasCurrentIndex()) {
                parts.push("[" + c.getCurrentIndex() + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                String name = c.getCurrentName();
                parts.push(PLAIN_NAME.matcher(name).matches() ? "." + name : "[\"" + name.replace("\"", "\\\"") + "\"]");
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }
}
