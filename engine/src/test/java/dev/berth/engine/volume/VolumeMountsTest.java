package dev.berth.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.storage.volume.LocalVolumes;
import dev.berth.storage.volume.VolumeRecord;
import dev.berth.sys.MountInfo;
import dev.berth.sys.Mounts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A driver-options volume mounted for real, under a root with a space (mountinfo writes it as \040). */
@Tag("root")
class VolumeMountsTest {
    @TempDir
    Path data;
    Path target;

    @AfterEach
    void unmountLeftovers() throws IOException {
        while (mounts(target) > 0) {
            Mounts.unmount(target.toString(), Mounts.MNT_DETACH);
        }
    }

    private static long mounts(Path point) throws IOException {
        return point == null ? 0 : MountInfo.self().stream().filter(m -> m.mountPoint().equals(point.toString())).count();
    }

    @Test
    void mountsOnceAndUnmountsWhatItMounted() throws IOException {
        LocalVolumes store = new LocalVolumes(data.resolve("with space"));
        VolumeRecord r = store.create("v1", Map.of(), Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m"));
        VolumeMounts volumeMounts = new VolumeMounts(store);
        target = store.mountpoint("v1");

        volumeMounts.mountIfNeeded(r);
        volumeMounts.mountIfNeeded(r); // seen as mounted: no second tmpfs on top
        assertThat(mounts(target)).isEqualTo(1);

        volumeMounts.unmountIfMounted(r);
        volumeMounts.unmountIfMounted(r);
        assertThat(mounts(target)).isZero();
    }
}
