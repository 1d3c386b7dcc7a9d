package dev.berth.storage.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.Mounts;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("root")
class MounterTest {
    @TempDir
    Path tmp;

    @Test
    void aMountStillInUseIsDetachedAndItsFilesStayReadable() throws Exception {
        Path source = Files.createDirectories(tmp.resolve("source"));
        Files.writeString(source.resolve("f"), "still here");
        Path target = Files.createDirectories(tmp.resolve("target"));
        Mounts.bind(source.toString(), target.toString(), false, false);
        try (InputStream open = Files.newInputStream(target.resolve("f"))) {
            Mounter.unmount(target); // EBUSY without the detach
            assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo"))).noneMatch(l -> l.contains(target.toString()));
            assertThat(new String(open.readAllBytes())).isEqualTo("still here");
        }
    }
}
