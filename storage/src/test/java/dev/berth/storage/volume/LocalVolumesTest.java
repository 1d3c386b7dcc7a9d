package dev.berth.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local driver on disk: records that survive a restart, docker's name rule, copy-up into empty volumes only. */
class LocalVolumesTest {
    @TempDir
    Path root;

    @Test
    void volumesAreReadBackAndUnfinishedOnesCleared() throws Exception {
        LocalVolumes store = new LocalVolumes(root);
        VolumeRecord made = store.create("data", Map.of("b", "2", "a", "1"), Map.of());
        assertThat(made.labels().keySet()).containsExactly("a", "b");
        assertThat(store.create("data", Map.of("other", "x"), Map.of())).isEqualTo(made); // docker's create is idempotent
        Files.writeString(store.mountpoint("data").resolve("f"), "kept");
        Files.createDirectories(root.resolve("half-made/_data")); // a crash between mkdir and the record

        LocalVolumes reopened = new LocalVolumes(root);
        assertThat(reopened.list()).extracting(VolumeRecord::name).containsExactly("data");
        assertThat(reopened.get("data")).contains(made);
        assertThat(Files.readString(reopened.mountpoint("data").resolve("f"))).isEqualTo("kept");
        assertThat(root.resolve("half-made")).doesNotExist();

        reopened.remove("data");
        assertThat(root.resolve("data")).doesNotExist();
        assertThat(new LocalVolumes(root).list()).isEmpty();
    }

    @Test
    void namesFollowTheLocalDriversRule() {
        assertThat(LocalVolumes.validName("my_vol-1.0")).isTrue();
        assertThat(LocalVolumes.validName("v")).isFalse();
        assertThat(LocalVolumes.validName("-x")).isFalse();
        assertThat(LocalVolumes.validName("a/b")).isFalse();
        assertThatThrownBy(() -> new LocalVolumes(root).create("../escape", Map.of(), Map.of()))
                .hasMessageContaining("includes invalid characters for a local volume name");
        assertThat(root.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    @Tag("root")
    void copyUpFillsOnlyAnEmptyVolumeAndKeepsModes() throws Exception {
        Path image = Files.createDirectories(root.resolve("image-etc"));
        Files.writeString(image.resolve("passwd"), "root:x:0:0\n");
        Files.setPosixFilePermissions(image.resolve("passwd"), PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(image.resolve("link"), Path.of("/etc/shadow"));
        LocalVolumes store = new LocalVolumes(root.resolve("volumes"));

        store.create("fresh", Map.of(), Map.of());
        store.copyUp(image, "fresh");
        assertThat(Files.readString(store.mountpoint("fresh").resolve("passwd"))).isEqualTo("root:x:0:0\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.mountpoint("fresh").resolve("passwd"))))
                .isEqualTo("rw-------");
        assertThat(Files.readSymbolicLink(store.mountpoint("fresh").resolve("link"))).isEqualTo(Path.of("/etc/shadow"));

        store.create("used", Map.of(), Map.of());
        Files.writeString(store.mountpoint("used").resolve("mine"), "x");
        store.copyUp(image, "used");
        assertThat(store.mountpoint("used").resolve("passwd")).doesNotExist();
    }
}
