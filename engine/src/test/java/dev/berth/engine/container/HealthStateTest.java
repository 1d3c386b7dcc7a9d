package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HealthStateTest {
    private static HealthState.Probe probe(int code) {
        return new HealthState.Probe("s", "e", code, "out" + code);
    }

    @Test
    void failuresInARowMakeItUnhealthyAndOnePassMakesItHealthy() {
        HealthState s = HealthState.starting().after(probe(1), 2, false);
        assertThat(s.status()).isEqualTo("starting");
        s = s.after(probe(1), 2, false);
        assertThat(s.status()).isEqualTo("unhealthy");
        assertThat(s.failingStreak()).isEqualTo(2);
        s = s.after(probe(0), 2, false);
        assertThat(s.status()).isEqualTo("healthy");
        assertThat(s.failingStreak()).isZero();
    }

    @Test
    void failuresInTheStartPeriodDoNotCountAndTheLogKeepsFive() {
        HealthState s = HealthState.starting();
        for (int i = 0; i < 7; i++) {
            s = s.after(probe(1), 1, true);
        }
        assertThat(s.status()).isEqualTo("starting");
        assertThat(s.log()).hasSize(5);
    }

    @Test
    void testFormsBecomeCommands() {
        assertThat(HealthMonitor.command(List.of("CMD", "true", "x"))).containsExactly("true", "x");
        assertThat(HealthMonitor.command(List.of("CMD-SHELL", "exit 1"))).containsExactly("/bin/sh", "-c", "exit 1");
    }
}
