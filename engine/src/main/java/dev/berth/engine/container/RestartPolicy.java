package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import dev.berth.engine.model.HostConfig;
import java.time.Duration;

/**
 * HostConfig.RestartPolicy: whether an exited container is started again, and after how long.
 * docker's rules (moby's restartmanager): "always" restarts on any exit, "unless-stopped" too
 * unless the container was stopped or killed through the API, "on-failure[:N]" on a non-zero
 * exit (at most N times). A `docker stop` also cancels the restart in hand (the caller's part),
 * but at the daemon's next start an "always" container comes back all the same.
 */
public record RestartPolicy(String name, int maximumRetryCount) {
    /** docker's restart manager: 100 ms, doubled on each restart, at most a minute. */
    static final Duration FIRST_DELAY = Duration.ofMillis(100), MAX_DELAY = Duration.ofMinutes(1);
    /** A container that ran this long before exiting starts again with the first delay. */
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    public static RestartPolicy of(HostConfig h) {
        HostConfig.RestartPolicy p = h == null ? null : h.restartPolicy();
        String name = p == null || p.name() == null || p.name().isEmpty() ? "no" : p.name();
        int max = p == null || p.maximumRetryCount() == null ? 0 : p.maximumRetryCount();
        return new RestartPolicy(name, max);
    }

    /** Refuses what docker refuses at create time. */
    public RestartPolicy validate(boolean autoRemove) {
        switch (name) {
            case "no", "always", "unless-stopped" -> {
                if (maximumRetryCount != 0) {
                    throw new EngineException(400, "invalid restart policy: maximum retry count can only be used with 'on-failure'");
                }
            }
            case "on-failure" -> {
                if (maximumRetryCount < 0) {
                    throw new EngineException(400, "invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw new EngineException(400, "invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (autoRemove && !name.equals("no")) {
            throw new EngineException(400, "can't create 'AutoRemove' container with restart policy");
        }
        return this;
    }

    /** Whether a container that exited with {@code exitCode} after {@code restartCount} restarts goes again. */
    public boolean restarts(int exitCode, int restartCount, boolean manuallyStopped) {
        return switch (name) {
            case "always" -> true;
            case "unless-stopped" -> !manuallyStopped;
            case "on-failure" -> exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }

    /** The wait before the next start, given the last one and how long the container ran. */
    static Duration nextDelay(Duration previous, Duration ran) {
        if (previous == null || ran.compareTo(RESET_AFTER) >= 0) {
            return FIRST_DELAY;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    }
}
