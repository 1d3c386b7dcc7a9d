package dev.berth.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesRepeatedKeysPlusAndPercent() {
        Query q = Query.of("label=a%3Db&label=c+d&empty&x=%E2%9C%93", JSON);
        assertThat(q.all("label")).containsExactly("a=b", "c d");
        assertThat(q.has("empty")).isTrue();
        assertThat(q.get("empty")).isEmpty();
        assertThat(q.get("x")).isEqualTo("✓");
        assertThat(q.get("missing")).isNull();
    }

    @Test
    void booleansFollowDockerdsBoolValue() {
        Query q = Query.of("a=1&b=True&c=0&d=false&e=no&f=none&g=&h=yes", JSON);
        assertThat(List.of(q.bool("a"), q.bool("b"), q.bool("h"))).containsOnly(true);
        assertThat(List.of(q.bool("c"), q.bool("d"), q.bool("e"), q.bool("f"), q.bool("g"), q.bool("zz"))).containsOnly(false);
        assertThat(q.bool("g", true)).isTrue();
        assertThat(q.bool("zz", true)).isTrue();
        assertThat(q.bool("c", true)).isFalse();
    }

    @Test
    void integersAndJsonAreCheckedWith400() {
        Query q = Query.of("tail=10&bad=x&filters=%7B%22status%22%3A%5B%22running%22%5D%7D&broken=%7B", JSON);
        assertThat(q.integer("tail", -1)).isEqualTo(10);
        assertThat(q.integer("none", -1)).isEqualTo(-1);
        assertThat(q.json("filters").orElseThrow().get("status").get(0).asText()).isEqualTo("running");
        assertThat(q.json("none")).isEmpty();
        assertThatThrownBy(() -> q.integer("bad", 0)).isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> q.json("broken")).isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void badEscapesAreRejected() {
        assertThatThrownBy(() -> Query.of("a=%zz", JSON)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Query.of("a=%ff", JSON)).isInstanceOf(IllegalArgumentException.class);
    }
}
