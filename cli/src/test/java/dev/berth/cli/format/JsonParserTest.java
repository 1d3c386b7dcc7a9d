package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonParserTest {
    @Test
    void valuesKeepTheirKindsAndTheFieldOrder() {
        Object v = JsonParser.parse(" {\"b\":1,\"a\":[true,false,null,-2.5e3,\"x\"],\"c\":{},\"d\":[],\"big\":18446744073709551615} ");
        assertThat(v).isInstanceOf(Map.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(List.copyOf(m.keySet())).isEqualTo(List.of("b", "a", "c", "d", "big"));
        assertThat(m.get("b")).isEqualTo(1L);
        assertThat(m.get("a")).isEqualTo(java.util.Arrays.asList(true, false, null, -2500.0, "x"));
        assertThat(m.get("c")).isEqualTo(Map.of());
        assertThat(m.get("d")).isEqualTo(List.of());
        assertThat(m.get("big")).isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void escapesAreDecoded() {
        assertThat(JsonParser.parse("\"a\\\"b\\\\c\\n\\t\\u00e9\\/\"")).isEqualTo("a\"b\\c\n\té/");
    }

    @Test
    void whatWritesBackIsTheSameText() {
        String text = "{\"Id\":\"x\",\"Args\":[\"-c\",\"echo <hi>\"],\"State\":{\"Pid\":0,\"Running\":false},\"Labels\":null}";
        assertThat(GoJson.compact(JsonParser.parse(text))).isEqualTo(text);
    }

    @Test
    void malformedTextIsAnErrorWithItsOffset() {
        assertThatThrownBy(() -> JsonParser.parse("{\"a\":1,}")).hasMessageContaining("expected a field name at offset 7");
        assertThatThrownBy(() -> JsonParser.parse("[1 2]")).hasMessageContaining("expected ',' or ']'");
        assertThatThrownBy(() -> JsonParser.parse("{} x")).hasMessageContaining("more content after the document");
        assertThatThrownBy(() -> JsonParser.parse("\"open")).hasMessageContaining("unterminated string");
    }
}
