package dev.berth.image.registry;

import java.time.Duration;

/**
 * How often a transient failure (a 5xx or 429 answer, a refused or reset connection, a body cut
 * short) is tried again: {@code maxAttempts} in all, waiting {@code initialDelay} before the
 * second, doubling up to {@code maxDelay}. 401, 403 and 404 are answers, never retried.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Three tries, 500 ms then 1 s apart (docker retries a layer 5 times, 5 s apart: we fail sooner). */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(8));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    /** The pause before attempt {@code attempt} (2 for the first retry). */
    public Duration delayBefore(int attempt) {
        long ms = initialDelay.toMillis() << Math.min(30, Math.max(0, attempt - 2));
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }

    void sleepBefore(int attempt) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(delayBefore(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting to retry");
        }
    }
}
