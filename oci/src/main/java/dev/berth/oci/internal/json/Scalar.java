package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Strings, integers, booleans and doubles, boxed or primitive. Stricter than databind on
 * purpose, like runc's Go decoder: no quoted numbers, no numbers for strings, no fractions
 * truncated into integers, and an integer that does not fit is an error rather than a wrap.
 */
enum Scalar implements Codec {
    STRING("a string") {
        @Override
        public Object read(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw Errors.mismatch(p, expected);
            }
            return p.getText();
        }

        @Override
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeString((String) value);
        }
    },
    INT("an integer") {
        @Override
        public Object read(JsonParser p) throws IOException {
            requireInteger(p);
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                throw Errors.outOfRange(p, "a 32-bit integer");
            }
            return p.getIntValue();
        }

        @Override
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeNumber((Integer) value);
        }
    },
    LONG("an integer") {
        @Override
        public Object read(JsonParser p) throws IOException {
            requireInteger(p);
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw Errors.outOfRange(p, "a 64-bit integer");
            }
            return p.getLongValue();
        }

        @Override
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeNumber((Long) value);
        }
    },
    BOOLEAN("a boolean") {
        @Override
        public Object read(JsonParser p) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> throw Errors.mismatch(p, expected);
            };
        }

        @Override
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeBoolean((Boolean) value);
        }
    },
    DOUBLE("a number") {
        @Override
        public Object read(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw Errors.mismatch(p, expected);
            }
            return p.getDoubleValue();
        }

        @Override
        public void write(JsonGenerator g, Object value) throws IOException {
            g.writeNumber((Double) value);
        }
    };

    final String expected;

    Scalar(String expected) {
        this.expected = expected;
    }

    void requireInteger(JsonParser p) {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw Errors.mismatch(p, expected);
        }
    }

    /** The codec for {@code type}, boxed or primitive, or null if it is not one of these. */
    static Scalar of(Class<?> type) {
        if (type == String.class) {
            return STRING;
        } else if (type == Integer.class || type == int.class) {
            return INT;
        } else if (type == Long.class || type == long.class) {
            return LONG;
        } else if (type == Boolean.class || type == boolean.class) {
            return BOOLEAN;
        } else if (type == Double.class || type == double.class) {
            return DOUBLE;
        }
        return null;
    }
}
