package dev.berth.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jackson trees and untyped values are read and written as databind does; types the binder does
 * not model go to databind itself.
 */
class JsonTreesAndFallbackTest {
    static final String MIXED = "{\"s\":\"x\",\"i\":1,\"l\":4294967296,\"b\":123456789012345678901234567890,\"d\":1.5,"
            + "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}],\"o\":{\"k\":\"v\"}}";

    /** A record with an annotation the binder does not model: databind binds it, @JsonIgnore and all. */
    record Ignoring(String kept, @JsonIgnore String secret) {}

    /** Not a record: databind's business. */
    public static final class Bean {
        private String name;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }
    }

    record HoldsBean(Bean bean, String other) {}

    record Node(String name, List<Node> children) {}

    @Test
    void treesAreReadAsDatabindReadsThem() throws Exception {
        JsonNode ours = Json.parse(MIXED, JsonNode.class);
        assertThat(ours).isEqualTo(Json.mapper().readTree(MIXED));
        assertThat(ours.get("l").isLong()).isTrue();
        assertThat(ours.get("b").isBigInteger()).isTrue();
        assertThat(Json.parse(MIXED, ObjectNode.class)).isEqualTo(ours);
    }

    @Test
    void treesAreWrittenAsDatabindWritesThem() throws Exception {
        ObjectNode tree = Json.parse(MIXED, ObjectNode.class);
        tree.put("float", 2.5f).put("decimal", new BigDecimal("1.10")).put("short", (short) 3).put("bytes", new byte[] {1, 2});
        tree.putObject("empty");
        tree.putArray("none");
        tree.putPOJO("pojo", List.of(1, "two"));
        assertThat(Json.write(tree)).isEqualTo(Json.mapper().writeValueAsString(tree));
        assertThat(Json.writePretty(tree)).isEqualTo(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(tree));
    }

    @Test
    void treesBuiltByHandNeedNoMapper() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("type", "oom").put("id", "c1");
        o.putArray("xs").add(1).add("two");
        assertThat(Json.write(o)).isEqualTo("{\"type\":\"oom\",\"id\":\"c1\",\"xs\":[1,\"two\"]}");
    }

    @Test
    void untypedValuesAreDatabindsMapsListsAndScalars() throws Exception {
        assertThat(Json.parse(MIXED, Object.class)).isEqualTo(Json.mapper().readValue(MIXED, Object.class));
        Object value = Json.parse(MIXED, Object.class);
        assertThat(Json.write(value)).isEqualTo(Json.mapper().writeValueAsString(value));
    }

    @Test
    void recordsWithOtherJacksonAnnotationsGoToDatabind() throws Exception {
        Ignoring i = new Ignoring("k", "s");
        assertThat(Json.write(i)).isEqualTo("{\"kept\":\"k\"}").isEqualTo(Json.mapper().writeValueAsString(i));
        assertThat(Json.parse("{\"kept\":\"k\",\"secret\":\"s\"}", Ignoring.class)).isEqualTo(new Ignoring("k", null));
    }

    @Test
    void otherClassesGoToDatabindEvenInsideRecords() {
        HoldsBean h = Json.parse("{\"bean\":{\"name\":\"n\"},\"other\":\"o\"}", HoldsBean.class);
        assertThat(h.bean().getName()).isEqualTo("n");
        assertThat(h.other()).isEqualTo("o");
        assertThat(Json.write(h)).isEqualTo("{\"bean\":{\"name\":\"n\"},\"other\":\"o\"}");
        assertThat(Json.writePretty(h)).isEqualTo("{\n  \"bean\" : {\n    \"name\" : \"n\"\n  },\n  \"other\" : \"o\"\n}");
    }

    @Test
    void aRecordMayContainItself() throws Exception {
        Node tree = new Node("root", List.of(new Node("a", List.of()), new Node("b", List.of(new Node("c", null)))));
        String json = Json.write(tree);
        assertThat(json).isEqualTo(Json.mapper().writeValueAsString(tree));
        assertThat(Json.parse(json, Node.class)).isEqualTo(tree);
    }
}
