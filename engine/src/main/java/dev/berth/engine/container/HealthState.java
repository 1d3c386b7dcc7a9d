package dev.berth.engine.container;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * State.Health of inspect: "starting", "healthy" or "unhealthy", the number of failed probes in
 * a row, and the last {@value #KEPT} probes (docker keeps five).
 */
public record HealthState(@JsonProperty("Status") String status, @JsonProperty("FailingStreak") int failingStreak,
                          @JsonProperty("Log") List<Probe> log) {
    static final int KEPT = 5;

    public static HealthState starting() {
        return new HealthState("starting", 0, List.of());
    }

    /** One probe: when it ran, its exit code (0 healthy, 1 unhealthy, -1 timed out or failed to run) and output. */
    public record Probe(@JsonProperty("Start") String start, @JsonProperty("End") String end,
                        @JsonProperty("ExitCode") int exitCode, @JsonProperty("Output") String output) {}

    /**
     * This state after {@code probe}: a pass makes it healthy; {@code retries} failures in a row
     * make it unhealthy; failures during the start period do not count (docker's rule).
     */
    public HealthState after(Probe probe, int retries, boolean inStartPeriod) {
        List<Probe> kept = new ArrayList<>(log);
        kept.add(probe);
        while (kept.size() > KEPT) {
            kept.removeFirst();
        }
        if (probe.exitCode() == 0) {
            return new HealthState("healthy", 0, List.copyOf(kept));
        }
        if (inStartPeriod) {
            return new HealthState(status, failingStreak, List.copyOf(kept));
        }
        int streak = failingStreak + 1;
        return new HealthState(streak >= retries ? "unhealthy" : status, streak, List.copyOf(kept));
    }
}
