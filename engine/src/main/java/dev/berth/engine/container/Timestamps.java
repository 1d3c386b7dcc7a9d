package dev.berth.engine.container;

import dev.berth.engine.EngineException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The times docker's filters and /events take: unix seconds (with a fraction) or RFC 3339. */
public final class Timestamps {
    private Timestamps() {}

    public static Instant parse(String value) {
        try {
            BigDecimal seconds = new BigDecimal(value);
            long whole = seconds.longValue();
            long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException notUnix) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new EngineException(400, "failed to parse value " + value + " as a timestamp");
            }
        }
    }
}
