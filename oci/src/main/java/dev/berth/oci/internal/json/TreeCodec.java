package dev.berth.oci.internal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
import java.util.Map;

/**
 * Jackson trees (JsonNode, ObjectNode, ArrayNode) read and written without an ObjectMapper: the
 * node classes are plain data, and `spec`, `features` and `events` edit or build trees in
 * commands short enough that the mapper's set-up cost would dominate them. The nodes made are the
 * ones databind's readTree makes (IntNode, LongNode or BigIntegerNode by size; DoubleNode).
 */
final class TreeCodec implements Codec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Class<?> type;

    TreeCodec(Class<?> type) {
        this.type = type;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
        if (type == ObjectNode.class && p.currentToken() != JsonToken.START_OBJECT) {
            throw Errors.mismatch(p, "an object");
        } else if (type == ArrayNode.class && p.currentToken() != JsonToken.START_ARRAY) {
            throw Errors.mismatch(p, "an array");
        }
        JsonNode node = readNode(p);
        if (!type.isInstance(node)) {
            throw Errors.at(p, "expected a " + type.getSimpleName() + ", got a " + node.getClass().getSimpleName());
        }
        return node;
    }

    static JsonNode readNode(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    p.nextToken();
                    object.set(name, readNode(p));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readNode(p));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT -> NODES.pojoNode(p.getEmbeddedObject());
            default -> throw Errors.mismatch(p, "a JSON value");
        };
    }

    @Override
    public void write(JsonGenerator g, Object value) throws IOException {
        writeNode(g, (JsonNode) value);
    }

    static void writeNode(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    g.writeFieldName(e.getKey());
                    writeNode(g, e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode e : node) {
                    writeNode(g, e);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> writeNumber(g, node);
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case BINARY -> g.writeBinary(node.binaryValue());
            case POJO -> AnyCodec.writeValue(g, ((POJONode) node).getPojo());
            case NULL, MISSING -> g.writeNull();
        }
    }

    private static void writeNumber(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT -> g.writeNumber(n.intValue());
            case LONG -> g.writeNumber(n.longValue());
            case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
            case FLOAT -> g.writeNumber(n.floatValue());
            case DOUBLE -> g.writeNumber(n.doubleValue());
            case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
        }
    }
}
