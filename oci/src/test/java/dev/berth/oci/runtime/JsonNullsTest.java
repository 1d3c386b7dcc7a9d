package dev.berth.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which nulls are written: what each record's @JsonInclude says, as databind reads it. */
class JsonNullsTest {
    /** No @JsonInclude: databind writes every member, null or not. */
    record Plain(String a, Integer b, List<String> c) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record MemberOverride(String a, @JsonInclude(JsonInclude.Include.ALWAYS) String kept, @JsonProperty("class") String kind) {}

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record NonEmpty(String a, List<String> b, Map<String, String> c, String d) {}

    @JsonPropertyOrder(value = {"z"}, alphabetic = true)
    record Alphabetic(String c, String a, String z, String b) {}

    @Test
    void specLeavesOutItsNulls() throws Exception {
        Spec spec = new Spec("1.2.0", new Spec.Process(null, null, null, List.of("sh"), null, null, "/", null, null,
                null, null, null, null, null, null), null, null, null, null, null, null, null);
        assertThat(Json.write(spec)).isEqualTo("{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"}}")
                .isEqualTo(Json.mapper().writeValueAsString(spec));
    }

    @Test
    void aRecordWithoutJsonIncludeWritesNullsAsDatabindDoes() throws Exception {
        Plain p = new Plain(null, null, null);
        assertThat(Json.write(p)).isEqualTo("{\"a\":null,\"b\":null,\"c\":null}").isEqualTo(Json.mapper().writeValueAsString(p));
    }

    @Test
    void aMemberRuleOverridesTheClassRule() throws Exception {
        MemberOverride m = new MemberOverride(null, null, "x");
        assertThat(Json.write(m)).isEqualTo("{\"kept\":null,\"class\":\"x\"}").isEqualTo(Json.mapper().writeValueAsString(m));
        assertThat(Json.parse("{\"class\":\"y\",\"kind\":\"ignored\"}", MemberOverride.class)).isEqualTo(new MemberOverride(null, null, "y"));
    }

    @Test
    void nonEmptyLeavesOutEmptyStringsListsAndMaps() throws Exception {
        NonEmpty n = new NonEmpty("", List.of(), Map.of(), "d");
        assertThat(Json.write(n)).isEqualTo("{\"d\":\"d\"}").isEqualTo(Json.mapper().writeValueAsString(n));
    }

    @Test
    void nullMapValuesAndListElementsAreWritten() throws Exception {
        Map<String, String> annotations = new HashMap<>();
        annotations.put("k", null);
        State s = new State("1", "id", "created", null, null, annotations);
        assertThat(Json.write(s)).isEqualTo("{\"ociVersion\":\"1\",\"id\":\"id\",\"status\":\"created\",\"annotations\":{\"k\":null}}")
                .isEqualTo(Json.mapper().writeValueAsString(s));
    }

    @Test
    void alphabeticOrderAfterTheListedNames() throws Exception {
        Alphabetic a = new Alphabetic("c", "a", "z", "b");
        assertThat(Json.write(a)).isEqualTo("{\"z\":\"z\",\"a\":\"a\",\"b\":\"b\",\"c\":\"c\"}")
                .isEqualTo(Json.mapper().writeValueAsString(a));
    }
}
