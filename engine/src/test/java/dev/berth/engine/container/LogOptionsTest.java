package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The rotated log's names are planned here; the shim renames through exactly these. */
class LogOptionsTest {
    private static final Path LOG = Path.of("/var/lib/berth/containers/c/c-log");

    @Test
    void aRotatedLogMovesThroughJsonFilesNamesNewestFirst() {
        assertThat(new LogOptions(1024, 3).rotations(LOG))
                .containsExactly(Path.of("/var/lib/berth/containers/c/c-log.1"), Path.of("/var/lib/berth/containers/c/c-log.2"));
        assertThat(LogOptions.rotated(LOG, 2)).isEqualTo(Path.of("/var/lib/berth/containers/c/c-log.2"));
    }

    @Test
    void withoutAMaximumSizeOrASecondFileNothingRotates() {
        assertThat(new LogOptions(0, 5).rotations(LOG)).isEmpty();
        assertThat(new LogOptions(1024, 1).rotations(LOG)).isEmpty();
    }
}
