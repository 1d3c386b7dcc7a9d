package dev.berth.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.image.ImageReference;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRemovalTest {
    private static final String D = "@sha256:" + "a".repeat(64);

    private static List<ImageReference> refs(String... names) {
        return java.util.Arrays.stream(names).map(ImageReference::parseNormalizedNamed).toList();
    }

    @Test
    void singleReferenceIsOneTagWithItsOwnRepositorysDigests() {
        assertThat(ImageRemoval.isSingleReference(refs())).isFalse();
        assertThat(ImageRemoval.isSingleReference(refs("a:1"))).isTrue();
        assertThat(ImageRemoval.isSingleReference(refs("a:1", "a" + D))).isTrue();
        assertThat(ImageRemoval.isSingleReference(refs("a:1", "a:2"))).isFalse();
        assertThat(ImageRemoval.isSingleReference(refs("a:1", "b" + D))).isFalse();
        assertThat(ImageRemoval.isSingleReference(refs("a" + D, "b" + D))).isFalse();
    }

    @Test
    void untilTakesGoDurationsAndTimestamps() {
        assertThat(ImageFilters.untilInstant("2020-01-02T03:04:05Z").getEpochSecond()).isEqualTo(1577934245L);
        assertThat(ImageFilters.untilInstant("1577934245").getEpochSecond()).isEqualTo(1577934245L);
        long hourAgo = java.time.Instant.now().minusSeconds(3600).getEpochSecond();
        assertThat(ImageFilters.untilInstant("1h").getEpochSecond()).isBetween(hourAgo - 5, hourAgo + 5);
    }
}
