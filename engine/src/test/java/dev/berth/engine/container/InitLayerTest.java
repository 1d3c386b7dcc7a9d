package dev.berth.engine.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.engine.spec.SpecGenerator;
import dev.berth.engine.spec.SpecRequest;
import dev.berth.oci.runtime.Json;
import dev.berth.oci.runtime.Spec;
import dev.berth.storage.snapshot.MountTargets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The init layer keeps up with the mounts every container gets, so that none is made in its read-write layer. */
class InitLayerTest {
    @TempDir
    Path dir;

    @Test
    void everyStandardMountThatLandsOnTheRootfsHasItsTarget() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Spec spec = SpecGenerator.generate(new SpecRequest("0123456789abcdef", Json.parse("{\"Cmd\":[\"sh\"]}", ContainerConfig.class),
                Json.parse("{}", HostConfig.class), null, rootfs, dir.resolve("etc"), List.of(), true, "/berth/x"));
        List<String> onRootfs = new ArrayList<>();
        for (Spec.Mount m : spec.mounts()) {
            // A mount beneath another one (/dev/pts on the /dev tmpfs, /sys/fs/cgroup on sysfs) never reaches the rootfs.
            boolean beneath = spec.mounts().stream().anyMatch(o -> m.destination().startsWith(o.destination() + "/"));
            if (!beneath) {
                onRootfs.add(m.destination());
            }
        }
        assertThat(onRootfs).containsExactlyInAnyOrder("/proc", "/dev", "/sys", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts");
        List<String> targets = InitLayer.TARGETS.stream().filter(t -> t.kind() != MountTargets.Kind.SYMLINK)
                .map(MountTargets.Target::path).toList();
        assertThat(targets).containsAll(onRootfs);
        for (Spec.Mount m : spec.mounts()) {
            InitLayer.TARGETS.stream().filter(t -> t.path().equals(m.destination())).findFirst().ifPresent(t ->
                    assertThat(t.kind()).as(m.destination()).isEqualTo("bind".equals(m.type())
                            ? MountTargets.Kind.FILE : MountTargets.Kind.DIRECTORY));
        }
    }
}
