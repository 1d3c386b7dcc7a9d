package dev.berth.oci.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binder reads and writes a full runc-style config.json exactly as databind does. */
class JsonRoundTripTest {
    static final String FULL = resource("full-config.json");

    /** Shaped like runtime's ContainerRecord: primitives, a list, a map and a whole Spec. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(String id, String bundle, int pid, long pidStartTime, boolean detached, double ratio,
                 List<String> cgroupDirs, Map<String, String> annotations, Spec config) {}

    static String resource(String name) {
        try (InputStream in = JsonRoundTripTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fullConfigParsesToWhatDatabindMakes() throws Exception {
        Spec ours = Json.parse(FULL, Spec.class);
        assertThat(ours).isEqualTo(Json.mapper().readValue(FULL, Spec.class));
    }

    @Test
    void fullConfigHasEverySection() {
        Spec s = Json.parse(FULL, Spec.class);
        assertThat(s.process().capabilities().ambient()).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(s.process().capabilities().inheritable()).isEmpty();
        assertThat(s.process().rlimits()).extracting(Spec.Rlimit::type).containsExactly("RLIMIT_NOFILE", "RLIMIT_CORE");
        assertThat(s.process().user().additionalGids()).containsExactly(5L, 6L, 4294967294L);
        assertThat(s.process().ioPriority().ioClass()).isEqualTo("IOPRIO_CLASS_IDLE");
        assertThat(s.process().scheduler().deadline()).isEqualTo(20000000L);
        assertThat(s.process().args().get(2)).isEqualTo("echo \"hi\" \u00e9\t\\");
        assertThat(s.mounts().get(2).uidMappings().getFirst().hostID()).isEqualTo(100000L);
        assertThat(s.hooks().poststart().getFirst().timeout()).isEqualTo(5);
        assertThat(s.hooks().poststop()).hasSize(1);
        assertThat(s.annotations()).containsKeys("com.example.key1", "org.opencontainers.image.os");
        Spec.Linux l = s.linux();
        assertThat(l.namespaces().get(1).path()).isEqualTo("/var/run/netns/neta");
        assertThat(l.timeOffsets().get("boottime")).isEqualTo(new Spec.TimeOffset(-86400L, 500L));
        assertThat(l.devices().getFirst().fileMode()).isEqualTo(438);
        assertThat(l.resources().devices()).hasSize(3);
        assertThat(l.resources().memory().checkBeforeUpdate()).isTrue();
        assertThat(l.resources().cpu().cpus()).isEqualTo("2-3");
        assertThat(l.resources().blockIO().throttleReadIOPSDevice().getFirst().rate()).isEqualTo(Long.MAX_VALUE);
        assertThat(l.resources().hugepageLimits().get(1).pageSize()).isEqualTo("64KB");
        assertThat(l.resources().unified()).containsEntry("memory.high", "1073741824");
        assertThat(l.seccomp().syscalls().get(2).args().getFirst().valueTwo()).isEqualTo(0L);
        assertThat(l.seccomp().syscalls().get(2).errnoRet()).isEqualTo(38);
        assertThat(l.maskedPaths()).contains("/proc/kcore");
        assertThat(l.personality().domain()).isEqualTo("LINUX32");
    }

    @Test
    void writesWhatDatabindWrites() throws Exception {
        Spec spec = Json.parse(FULL, Spec.class);
        assertThat(Json.write(spec)).isEqualTo(Json.mapper().writeValueAsString(spec));
        assertThat(Json.writePretty(spec)).isEqualTo(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(spec));
    }

    @Test
    void roundTripsThroughItsOwnOutput() {
        Spec spec = Json.parse(FULL, Spec.class);
        assertThat(Json.parse(Json.write(spec), Spec.class)).isEqualTo(spec);
        assertThat(Json.parse(Json.writePretty(spec), Spec.class)).isEqualTo(spec);
    }

    @Test
    void recordWithPrimitivesAndASpecMatchesDatabindBothWays() throws Exception {
        Saved saved = new Saved("c1", "/b", 42, 123456789012L, true, 0.25, List.of("/sys/fs/cgroup/a"),
                Map.of("k", "v"), Json.parse(FULL, Spec.class));
        String ours = Json.write(saved);
        assertThat(ours).isEqualTo(Json.mapper().writeValueAsString(saved));
        assertThat(Json.parse(ours, Saved.class)).isEqualTo(saved).isEqualTo(Json.mapper().readValue(ours, Saved.class));
    }

    @Test
    void missingOrNullPrimitivesAreZeroAsInDatabind() throws Exception {
        String json = "{\"id\":\"c1\",\"pid\":null}";
        Saved ours = Json.parse(json, Saved.class);
        assertThat(ours).isEqualTo(Json.mapper().readValue(json, Saved.class));
        assertThat(ours.pid()).isZero();
        assertThat(ours.pidStartTime()).isZero();
        assertThat(ours.detached()).isFalse();
        assertThat(ours.config()).isNull();
    }

    @Test
    void jsonNullIsNull() {
        assertThat(Json.parse("null", Spec.class)).isNull();
        assertThat(Json.parse("{\"ociVersion\":null,\"mounts\":[null]}", Spec.class))
                .isEqualTo(new Spec(null, null, null, null, null, java.util.Arrays.asList((Spec.Mount) null), null, null, null));
    }

    @Test
    void numbersAtTheEdgesOfTheirTypes() {
        String json = "{\"process\":{\"oomScoreAdj\":-2147483648,\"user\":{\"uid\":-9223372036854775808,\"umask\":2147483647}}}";
        Spec.Process p = Json.parse(json, Spec.class).process();
        assertThat(p.oomScoreAdj()).isEqualTo(Integer.MIN_VALUE);
        assertThat(p.user().uid()).isEqualTo(Long.MIN_VALUE);
        assertThat(p.user().umask()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void stateIsWrittenInItsDeclaredOrderAsDatabindDoes() throws Exception {
        State s = new State("1.2.0", "c1", "running", 42, "/b", Map.of("a", "b"));
        assertThat(Json.write(s)).isEqualTo(Json.mapper().writeValueAsString(s))
                .isEqualTo("{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"running\",\"pid\":42,\"bundle\":\"/b\",\"annotations\":{\"a\":\"b\"}}");
        assertThat(Json.parse(Json.write(s), State.class)).isEqualTo(s);
    }

    @Test
    void listsMapsAndScalarsAtTheTopLevel() throws Exception {
        List<Object> values = List.of(1, 2L, "three", true, 4.5, Map.of("x", List.of()), new State("1", "i", "s", null, "b", null));
        assertThat(Json.write(values)).isEqualTo(Json.mapper().writeValueAsString(values));
        assertThat(Json.write(null)).isEqualTo("null");
        assertThat(Json.write(List.of(1, 2, 3))).isEqualTo("[1,2,3]");
    }
}
