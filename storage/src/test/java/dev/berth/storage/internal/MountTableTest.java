package dev.berth.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.sys.MountInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mount tables written as mountinfo text; only the bind-mount case looks at real files. */
class MountTableTest {
    @TempDir
    Path tmp;

    private static List<MountInfo> table(String... lines) {
        return MountInfo.parse(String.join("\n", lines));
    }

    @Test
    void aMountPointAtOrUnderTheDirectoryUsesIt() {
        Path dir = Path.of("/var/lib/berth/snapshots/7");
        assertThat(MountTable.uses(dir, table("60 22 0:50 / /var/lib/berth/snapshots/7/fs rw - tmpfs tmpfs rw"))).isTrue();
        assertThat(MountTable.uses(dir, table("60 22 0:50 / /var/lib/berth/snapshots/7 rw - tmpfs tmpfs rw"))).isTrue();
        // A sibling that merely starts with the same characters does not.
        assertThat(MountTable.uses(dir, table("60 22 0:50 / /var/lib/berth/snapshots/70 rw - tmpfs tmpfs rw"))).isFalse();
    }

    @Test
    void anOverlayWhoseOptionsNameTheDirectoryUsesIt() {
        String overlay = "60 22 0:50 / /c/merged rw - overlay overlay rw,lowerdir=/s/3/fs:/s/2/fs,upperdir=/s/9/fs,workdir=/s/9/work";
        assertThat(MountTable.uses(Path.of("/s/2/fs"), table(overlay))).isTrue();
        assertThat(MountTable.uses(Path.of("/s/3"), table(overlay))).isTrue();
        assertThat(MountTable.uses(Path.of("/s/9"), table(overlay))).isTrue();
        assertThat(MountTable.uses(Path.of("/s/1"), table(overlay))).isFalse();
    }

    @Test
    void aBindMountOfTheDirectoryElsewhereUsesItWhenDeviceAndInodeAgree() throws IOException {
        // mountinfo shows a bind mount's root relative to its filesystem, so only the tail of the
        // path can be matched; a hard link stands in for the bind mount's view of the same inode.
        Path dir = Files.createDirectories(tmp.resolve("snapshots/7/fs"));
        Path inside = Files.writeString(dir.resolve("etc"), "x");
        Path mountPoint = Files.createLink(tmp.resolve("elsewhere"), inside);
        String bind = "70 22 8:1 /srv/berth/snapshots/7/fs/etc " + mountPoint + " rw - ext4 /dev/sda1 rw";
        assertThat(MountTable.uses(dir, table(bind))).isTrue();

        Path other = Files.writeString(tmp.resolve("other"), "y");
        String unrelated = "70 22 8:1 /srv/berth/snapshots/7/fs/etc " + other + " rw - ext4 /dev/sda1 rw";
        assertThat(MountTable.uses(dir, table(unrelated))).isFalse();
    }

    @Test
    void unrelatedMountsDoNotUseIt() {
        assertThat(MountTable.uses(Path.of("/s/2"), table(
                "22 1 8:1 / / rw shared:1 - ext4 /dev/sda1 rw",
                "30 22 0:26 / /proc rw - proc proc rw"))).isFalse();
    }
}
