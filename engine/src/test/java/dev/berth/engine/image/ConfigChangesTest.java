package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import dev.berth.oci.image.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    private static final ImageConfig.Config BASE = new ImageConfig.Config("nobody", null, List.of("PATH=/bin", "A=1"), null,
            List.of("sh"), null, "/srv", Map.of("keep", "yes"), null, null, null, null, null);

    @Test
    void execAndShellFormsOfCmdAndEntrypoint() {
        assertThat(ConfigChanges.apply(BASE, List.of("CMD [\"cat\",\"/hello\"]")).cmd()).containsExactly("cat", "/hello");
        assertThat(ConfigChanges.apply(BASE, List.of("CMD echo $HOME")).cmd()).containsExactly("/bin/sh", "-c", "echo $HOME");
        ImageConfig.Config e = ConfigChanges.apply(BASE, List.of("ENTRYPOINT [\"/bin/busybox\"]"));
        assertThat(e.entrypoint()).containsExactly("/bin/busybox");
        assertThat(e.cmd()).as("ENTRYPOINT resets CMD, as the builder does").isNull();
    }

    @Test
    void envLabelExposeWorkdirUserVolume() {
        ImageConfig.Config c = ConfigChanges.apply(BASE, List.of("ENV A=2 B=\"two words\"", "ENV C legacy form",
                "LABEL org.x=\"y z\"", "EXPOSE 80 53/UDP", "WORKDIR data", "USER 1000:1000", "VOLUME [\"/v\"]",
                "STOPSIGNAL SIGINT"));
        assertThat(c.env()).containsExactly("PATH=/bin", "A=2", "B=two words", "C=legacy form");
        assertThat(c.labels()).containsEntry("keep", "yes").containsEntry("org.x", "y z");
        assertThat(c.exposedPorts()).containsOnlyKeys("80/tcp", "53/udp");
        assertThat(c.workingDir()).isEqualTo("/srv/data");
        assertThat(c.user()).isEqualTo("1000:1000");
        assertThat(c.volumes()).containsOnlyKeys("/v");
        assertThat(c.stopSignal()).isEqualTo("SIGINT");
        assertThat(c.cmd()).containsExactly("sh");
    }

    @Test
    void refusedLinesAreDockersErrors() {
        assertThatThrownBy(() -> ConfigChanges.apply(BASE, List.of("RUN true")))
                .isInstanceOf(EngineException.class).hasMessage("run is not a valid change command");
        assertThatThrownBy(() -> ConfigChanges.apply(BASE, List.of("FROBNICATE x")))
                .hasMessageContaining("unknown instruction: FROBNICATE");
        assertThatThrownBy(() -> ConfigChanges.apply(BASE, List.of("CMD")))
                .hasMessageContaining("CMD requires at least one argument");
        assertThatThrownBy(() -> ConfigChanges.apply(BASE, List.of("ENV =x"))).hasMessageContaining("names can not be blank");
        assertThatThrownBy(() -> ConfigChanges.apply(BASE, List.of("LABEL a=\"open")))
                .hasMessageContaining("unmatched quote");
    }
}
