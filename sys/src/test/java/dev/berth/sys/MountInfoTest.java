package dev.berth.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mountinfo.txt: lines of the shapes show_mountinfo (fs/proc_namespace.c) writes. */
class MountInfoTest {
    private static List<MountInfo> mounts;

    @BeforeAll
    static void readFixture(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("mountinfo");
        try (InputStream in = MountInfoTest.class.getResourceAsStream("mountinfo.txt")) {
            Files.write(file, in.readAllBytes());
        }
        mounts = MountInfo.read(file);
    }

    @Test
    void everyFieldOfAPlainLine() {
        assertThat(mounts).hasSize(6);
        assertThat(mounts.get(1)).isEqualTo(new MountInfo(36, 22, 0, 32, "/", "/sys/fs/cgroup/memory",
                List.of("rw", "nosuid", "nodev", "noexec", "relatime"), List.of("shared:9", "master:2"),
                "cgroup", "cgroup", List.of("rw", "memory")));
        assertThat(mounts.get(1).device()).isEqualTo("0:32");
    }

    @Test
    void optionalFieldsMayBeNoneOrManyAndFieldsAfterTheSeparatorStillLineUp() {
        assertThat(mounts.get(2).optionalFields()).isEmpty();
        assertThat(mounts.get(2).fsType()).isEqualTo("cgroup2");
        MountInfo bind = mounts.get(3);
        assertThat(bind.optionalFields()).containsExactly("master:1", "propagate_from:3", "unbindable");
        assertThat(bind.fsType()).isEqualTo("ext4");
        assertThat(bind.source()).isEqualTo("/dev/sda1");
        assertThat(bind.superOptions()).containsExactly("rw");
    }

    @Test
    void aBindMountShowsTheSubTreeAsRootAndSharesTheDeviceOfItsFilesystem() {
        MountInfo whole = mounts.get(0);
        MountInfo bind = mounts.get(3);
        assertThat(whole.root()).isEqualTo("/");
        assertThat(bind.root()).isEqualTo("/srv/my data");
        assertThat(bind.device()).isEqualTo(whole.device());
        assertThat(bind.mountId()).isNotEqualTo(whole.mountId());
        assertThat(bind.parentId()).isEqualTo(whole.mountId());
    }

    @Test
    void octalEscapesAreDecodedInPathsAndOptions() {
        assertThat(mounts.get(3).mountPoint()).isEqualTo("/mnt/with space\ttab");
        assertThat(mounts.get(4).mountPoint()).isEqualTo("/mnt/back\\slash");
        // An escaped comma stays inside its option.
        assertThat(mounts.get(5).superOptions())
                .containsExactly("rw", "lowerdir=/l/a,b:/l/c", "upperdir=/u", "workdir=/w");
        assertThat(MountInfo.unescape("/a\\040b\\012c")).isEqualTo("/a b\nc");
        assertThat(MountInfo.unescape("/odd\\9")).isEqualTo("/odd\\9");
        assertThat(MountInfo.unescape("/short\\04")).isEqualTo("/short\\04");
    }

    @Test
    void anEmptySourceIsAnEmptyFieldNotAShift() {
        MountInfo tmpfs = mounts.get(4);
        assertThat(tmpfs.fsType()).isEqualTo("tmpfs");
        assertThat(tmpfs.source()).isEmpty();
        assertThat(tmpfs.superOptions()).containsExactly("rw", "size=1024k");
    }

    @Test
    void rejectsALineNotOfTheDocumentedShape() {
        assertThatThrownBy(() -> MountInfo.parse("1 2 0:3 / /x rw cgroup cgroup rw,memory"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/x");
        assertThatThrownBy(() -> MountInfo.parse("1 2 03 / /x rw - cgroup cgroup rw"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MountInfo.parse("1 2 0:3 / /x rw - cgroup"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsThisProcesssOwnTable() throws IOException {
        // Every mount namespace has a mount on "/", whatever else this host has.
        assertThat(MountInfo.self()).anyMatch(m -> m.mountPoint().equals("/"));
    }
}
