package dev.berth.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bad document is a SpecException naming the JSON path, the problem and the line and column. */
class JsonErrorsTest {
    enum Mode { @JsonProperty("read-only") READ_ONLY, WRITE }

    record WithMode(Mode mode) {}

    record Checked(String name) {
        Checked {
            if (name != null && name.isEmpty()) {
                throw new IllegalArgumentException("name must not be empty");
            }
        }
    }

    private static String error(String json, Class<?> type) {
        try {
            Json.parse(json, type);
        } catch (SpecException e) {
            return e.getMessage();
        }
        throw new AssertionError("parsed: " + json);
    }

    private static String specError(String json) {
        return error(json, Spec.class);
    }

    @Test
    void wrongKindNamesThePathAndPosition() {
        String json = """
                {
                  "process": {
                    "args": "sh"
                  }
                }""";
        assertThat(specError(json)).isEqualTo("process.args: expected an array, got a string (line 3, column 13)");
    }

    @Test
    void arrayIndexesAndMapKeysAreInThePath() {
        assertThat(specError("{\"mounts\":[{},{\"options\":{}}]}"))
                .isEqualTo("mounts[1].options: expected an array, got an object (line 1, column 26)");
        assertThat(specError("{\"process\":{\"args\":[\"a\",1]}}"))
                .isEqualTo("process.args[1]: expected a string, got an integer (line 1, column 25)");
        assertThat(specError("{\"linux\":{\"sysctl\":{\"net.ipv4.ip_forward\":1}}}"))
                .startsWith("linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got an integer (line 1, column ");
        assertThat(specError("{\"annotations\":{\"plain\":true}}")).startsWith("annotations.plain: expected a string, got a boolean");
        assertThat(specError("{\"linux\":{\"timeOffsets\":{\"boottime\":{\"secs\":\"1\"}}}}"))
                .startsWith("linux.timeOffsets.boottime.secs: expected an integer, got a string");
    }

    @Test
    void anIntegerTooLargeForAnIntNamesTheField() {
        assertThat(specError("{\"process\":{\"oomScoreAdj\":4294967296}}"))
                .isEqualTo("process.oomScoreAdj: 4294967296 is out of range for a 32-bit integer (line 1, column 27)");
        assertThat(specError("{\"process\":{\"rlimits\":[{\"hard\":18446744073709551616}]}}"))
                .startsWith("process.rlimits[0].hard: 18446744073709551616 is out of range for a 64-bit integer (line 1, ");
    }

    @Test
    void scalarsAreNotCoerced() {
        assertThat(specError("{\"process\":{\"oomScoreAdj\":1.5}}")).startsWith("process.oomScoreAdj: expected an integer, got a fractional number");
        assertThat(specError("{\"process\":{\"oomScoreAdj\":\"5\"}}")).startsWith("process.oomScoreAdj: expected an integer, got a string");
        assertThat(specError("{\"process\":{\"terminal\":\"true\"}}")).startsWith("process.terminal: expected a boolean, got a string");
        assertThat(specError("{\"hostname\":5}")).startsWith("hostname: expected a string, got an integer");
        assertThat(specError("{\"process\":[]}")).isEqualTo("process: expected an object, got an array (line 1, column 12)");
    }

    @Test
    void theWrongRootIsNamedWithoutAPath() {
        assertThat(specError("[1]")).isEqualTo("expected an object, got an array (line 1, column 1)");
        assertThat(error("{}", List.class)).isEqualTo("expected an array, got an object (line 1, column 1)");
        assertThat(error("[]", ObjectNode.class)).isEqualTo("expected an object, got an array (line 1, column 1)");
    }

    @Test
    void syntaxErrorsGiveTheLine() {
        // What BadInputTest writes: the runtime prefixes "config.json: " and checks for "line 1".
        assertThat(specError("{\"ociVersion\": \"1.0.0\", \"process\": [")).contains("line 1").startsWith("process: ");
        assertThat(specError("{\"ociVersion\": \"1.0.0\", \"process\": {")).contains("end-of-input").contains("line 1");
        String trailingComma = specError("{\n  \"hostname\": \"a\",\n}");
        assertThat(trailingComma).contains("(line 3, column 1)").doesNotContain("REDACTED");
        assertThat(specError("{\"mounts\":[{\"destination\": tru}]}")).startsWith("mounts[0].destination: Unrecognized token 'tru'");
        assertThat(specError("{\"process\": {\"args\": [\"a\"")).contains("opened at line 1, column 22").doesNotContain("Source");
    }

    @Test
    void emptyAndTrailingContentAreErrors() {
        assertThat(specError("")).isEqualTo("no JSON value: the document is empty");
        assertThat(specError("  \n ")).startsWith("no JSON value");
        assertThat(specError("{} {}")).isEqualTo("more content after the document: an object (line 1, column 4)");
    }

    @Test
    void enumsByNameOrJsonProperty() throws Exception {
        assertThat(Json.parse("{\"mode\":\"read-only\"}", WithMode.class)).isEqualTo(new WithMode(Mode.READ_ONLY));
        assertThat(Json.write(new WithMode(Mode.READ_ONLY))).isEqualTo(Json.mapper().writeValueAsString(new WithMode(Mode.READ_ONLY)));
        assertThat(error("{\"mode\":\"READ_ONLY\"}", WithMode.class))
                .isEqualTo("mode: expected one of [WRITE, read-only], got \"READ_ONLY\" (line 1, column 9)");
        assertThat(error("{\"mode\":0}", WithMode.class)).startsWith("mode: expected a string, got an integer");
    }

    @Test
    void aRecordThatRefusesItsValuesIsReportedWhereItStarts() {
        assertThat(error("{\"items\":[{\"name\":\"\"}]}", Holder.class))
                .isEqualTo("items[0]: name must not be empty (line 1, column 11)");
    }

    record Holder(List<Checked> items) {}

    @Test
    void theMessageOfAWrappedSpecExceptionIsKept() {
        assertThatThrownBy(() -> Json.parse("{\"process\":1}", Spec.class)).isInstanceOf(SpecException.class);
    }
}
