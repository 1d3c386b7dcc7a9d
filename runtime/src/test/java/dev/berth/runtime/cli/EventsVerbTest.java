package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `events`: Go durations for --interval and the argument checks (no root needed). */
class EventsVerbTest {
    private final EventsVerb verb = new EventsVerb();

    private Args args(String... argv) {
        return Args.parse(List.of(argv), verb.booleans(), verb.aliases(), verb.valued());
    }

    @ParameterizedTest
    @CsvSource({"5s, 5000000000", "500ms, 500000000", "1m, 60000000000", "1h30m, 5400000000000",
            "1.5s, 1500000000", ".5s, 500000000", "5.s, 5000000000", "10us, 10000", "10µs, 10000", "7ns, 7",
            "0, 0", "+2s, 2000000000", "-1s, -1000000000", "1m0.25s, 60250000000"})
    void goDurationsParse(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "abc|time: invalid duration \"abc\"",
            "''|time: invalid duration \"\"",
            "5|time: missing unit in duration \"5\"",
            "5x|time: unknown unit \"x\" in duration \"5x\"",
            "1s5|time: missing unit in duration \"1s5\"",
            "s|time: invalid duration \"s\"",
            "3000000h|time: invalid duration \"3000000h\""})
    void badDurationsSayWhy(String text, String message) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void theIntervalDefaultsToFiveSecondsAndMustBePositive() {
        assertThat(EventsVerb.interval(args("id"))).isEqualTo(Duration.ofSeconds(5));
        assertThat(EventsVerb.interval(args("--interval=200ms", "id"))).isEqualTo(Duration.ofMillis(200));
        assertThatThrownBy(() -> EventsVerb.interval(args("--interval", "0", "id")))
                .isInstanceOf(UsageException.class).hasMessage("duration interval must be greater than 0");
        assertThatThrownBy(() -> EventsVerb.interval(args("--interval", "-1s", "id")))
                .isInstanceOf(UsageException.class).hasMessage("duration interval must be greater than 0");
        assertThatThrownBy(() -> EventsVerb.interval(args("--interval", "abc", "id")))
                .isInstanceOf(UsageException.class)
                .hasMessage("invalid value \"abc\" for flag -interval: time: invalid duration \"abc\"");
    }

    @Test
    void exactlyOneIdIsRequired() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        Context ctx = new Context(null, Path.of("/nonexistent"), sink, new Logger(sink, false, false));
        assertThatThrownBy(() -> verb.run(args("--stats"), ctx))
                .isInstanceOf(UsageException.class).hasMessage("\"events\" requires exactly 1 argument(s)");
        assertThatThrownBy(() -> verb.run(args("a", "b"), ctx))
                .isInstanceOf(UsageException.class).hasMessage("\"events\" requires exactly 1 argument(s)");
        assertThat(args("--stats", "id").flag("stats")).isTrue();
    }
}
