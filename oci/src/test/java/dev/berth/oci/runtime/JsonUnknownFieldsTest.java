package dev.berth.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Members the records do not know are skipped, whatever their shape, as the runtime spec asks. */
class JsonUnknownFieldsTest {
    @Test
    void unknownMembersAreSkipped() throws Exception {
        String withExtras = """
                {
                  "ociVersion": "1.2.0",
                  "vendor.extension": {"nested": [1, {"deep": [true, null, "x"]}], "n": 1.5},
                  "process": {"args": ["sh"], "unknownList": [[], [{}]], "unknownNull": null, "cwd": "/"},
                  "mounts": [{"destination": "/proc", "future": {"a": 1}}],
                  "linux": {"intelRdt": {"closID": "guaranteed_group"}, "maskedPaths": ["/proc/kcore"]},
                  "windows": null,
                  "solaris": 7
                }""";
        String without = """
                {"ociVersion": "1.2.0", "process": {"args": ["sh"], "cwd": "/"}, "mounts": [{"destination": "/proc"}],
                 "linux": {"maskedPaths": ["/proc/kcore"]}}""";
        Spec spec = Json.parse(withExtras, Spec.class);
        assertThat(spec).isEqualTo(Json.parse(without, Spec.class)).isEqualTo(Json.mapper().readValue(withExtras, Spec.class));
    }

    @Test
    void aRenamedMemberIsReadOnlyByItsJsonName() {
        Spec.IoPriority p = Json.parse("{\"class\":\"IOPRIO_CLASS_RT\",\"ioClass\":\"ignored\",\"priority\":1}", Spec.IoPriority.class);
        assertThat(p).isEqualTo(new Spec.IoPriority("IOPRIO_CLASS_RT", 1));
        assertThat(Json.write(p)).isEqualTo("{\"class\":\"IOPRIO_CLASS_RT\",\"priority\":1}");
    }

    @Test
    void aRepeatedMemberKeepsTheLastValueAsDatabindDoes() throws Exception {
        String json = "{\"hostname\":\"a\",\"hostname\":\"b\"}";
        assertThat(Json.parse(json, Spec.class)).isEqualTo(Json.mapper().readValue(json, Spec.class));
        assertThat(Json.parse(json, Spec.class).hostname()).isEqualTo("b");
    }
}
