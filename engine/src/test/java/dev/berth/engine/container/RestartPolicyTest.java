package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.EngineException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    @Test
    void decidesAsDockersRestartManager() {
        assertThat(new RestartPolicy("no", 0).restarts(1, 0, false)).isFalse();
        assertThat(new RestartPolicy("always", 0).restarts(0, 50, true)).isTrue();
        assertThat(new RestartPolicy("unless-stopped", 0).restarts(0, 0, false)).isTrue();
        assertThat(new RestartPolicy("unless-stopped", 0).restarts(0, 0, true)).isFalse();
        assertThat(new RestartPolicy("on-failure", 0).restarts(0, 0, false)).isFalse();
        assertThat(new RestartPolicy("on-failure", 0).restarts(1, 99, false)).isTrue();
        assertThat(new RestartPolicy("on-failure", 2).restarts(1, 1, false)).isTrue();
        assertThat(new RestartPolicy("on-failure", 2).restarts(1, 2, false)).isFalse();
    }

    @Test
    void backsOffByDoublingAndResetsAfterALongRun() {
        Duration d = RestartPolicy.nextDelay(null, Duration.ZERO);
        assertThat(d).isEqualTo(Duration.ofMillis(100));
        d = RestartPolicy.nextDelay(d, Duration.ofSeconds(1));
        assertThat(d).isEqualTo(Duration.ofMillis(200));
        assertThat(RestartPolicy.nextDelay(Duration.ofSeconds(50), Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(RestartPolicy.nextDelay(Duration.ofSeconds(50), Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void refusesWhatDockerRefuses() {
        assertThatThrownBy(() -> new RestartPolicy("always", 3).validate(false)).isInstanceOf(EngineException.class)
                .hasMessageContaining("maximum retry count can only be used with 'on-failure'");
        assertThatThrownBy(() -> new RestartPolicy("on-failure", 0).validate(true)).isInstanceOf(EngineException.class)
                .hasMessageContaining("AutoRemove");
        assertThat(new RestartPolicy("no", 0).validate(true).name()).isEqualTo("no");
    }
}
