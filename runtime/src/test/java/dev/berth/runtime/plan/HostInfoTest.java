package dev.berth.runtime.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInfoTest {
    @TempDir
    Path tmp;

    @Test
    void v1HierarchiesAreTheCgroupSuperOptionsWithoutMountFlagsOnceEach() throws IOException {
        Path mountinfo = Files.writeString(tmp.resolve("mountinfo"), """
                31 23 0:28 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
                32 31 0:29 / /sys/fs/cgroup/systemd rw shared:10 - cgroup cgroup rw,xattr,release_agent=/lib/systemd/x,name=systemd
                33 31 0:30 / /sys/fs/cgroup/cpu,cpuacct rw shared:11 - cgroup cgroup rw,cpu,cpuacct
                34 31 0:31 / /sys/fs/cgroup/memory rw master:12 - cgroup cgroup rw,memory
                35 22 0:31 /docker /mnt/memory\\040bind rw - cgroup cgroup rw,memory
                36 31 0:32 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate
                """);
        assertThat(HostInfo.v1Hierarchies(mountinfo)).containsExactly("name=systemd", "cpu,cpuacct", "memory");
    }

    @Test
    void noV1HierarchiesWithoutAReadableTable() {
        assertThat(HostInfo.v1Hierarchies(tmp.resolve("absent"))).isEmpty();
    }
}
