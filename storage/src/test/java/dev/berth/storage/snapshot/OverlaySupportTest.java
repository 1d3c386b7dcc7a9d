package dev.berth.storage.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.storage.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("root")
class OverlaySupportTest {
    @Test
    void overlayIsPickedWhereItWorksAndCopyingWhereItCannot() throws IOException {
        try (Scratch scratch = new Scratch()) {
            assertThat(OverlaySupport.problem(scratch.resolve("ok"))).isEmpty();
            assertThat(OverlaySupport.open(scratch.resolve("root"))).isInstanceOf(OverlaySnapshotter.class);

            // A data root that is itself on overlayfs (docker in docker): the copying snapshotter.
            Path lower = Files.createDirectories(scratch.resolve("l"));
            Path upper = Files.createDirectories(scratch.resolve("u"));
            Path work = Files.createDirectories(scratch.resolve("w"));
            Path merged = Files.createDirectories(scratch.resolve("m"));
            Mounter.mount(List.of(new Mount("overlay", "overlay", List.of("lowerdir=" + lower, "upperdir=" + upper, "workdir=" + work))), merged);
            try {
                assertThat(OverlaySupport.problem(merged.resolve("x"))).hasValueSatisfying(p -> assertThat(p).contains("itself on overlayfs"));
            } finally {
                Mounter.unmount(merged);
            }
        }
    }
}
