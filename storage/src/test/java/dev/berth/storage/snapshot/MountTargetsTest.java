package dev.berth.storage.snapshot;

import static dev.berth.storage.FileChecks.exists;
import static dev.berth.storage.FileChecks.lstat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.storage.Scratch;
import dev.berth.storage.TreePrint;
import dev.berth.storage.snapshot.MountTargets.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mount targets in a tree an image chose: made where missing, resolved inside the tree, never outside. */
class MountTargetsTest {
    private Scratch scratch;
    private Path tree;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        scratch = new Scratch();
        tree = Files.createDirectories(scratch.resolve("tree"));
        outside = Files.createDirectories(scratch.resolve("outside"));
    }

    @AfterEach
    void tearDown() throws IOException {
        scratch.close();
    }

    @Test
    void missingTargetsAreMadeAndPresentOnesKept() throws IOException {
        Files.createDirectories(tree.resolve("etc"));
        Files.writeString(tree.resolve("etc/hosts"), "the image's own");
        Files.createSymbolicLink(tree.resolve("etc/mtab"), Path.of("../proc/self/mounts"));
        Files.createDirectory(tree.resolve("proc"));

        MountTargets.create(tree, List.of(Target.directory("/proc"), Target.directory("/dev/pts"),
                Target.file("/etc/hosts"), Target.file("/etc/hostname"), Target.symlink("/etc/mtab", "/proc/mounts"),
                Target.symlink("/etc/other", "/proc/mounts")));

        assertThat(Files.readString(tree.resolve("etc/hosts"))).isEqualTo("the image's own");
        assertThat(Files.readSymbolicLink(tree.resolve("etc/mtab"))).isEqualTo(Path.of("../proc/self/mounts"));
        assertThat(Files.readSymbolicLink(tree.resolve("etc/other"))).isEqualTo(Path.of("/proc/mounts"));
        assertThat(lstat(tree.resolve("etc/hostname")).isRegularFile()).isTrue();
        assertThat(lstat(tree.resolve("etc/hostname")).size()).isZero();
        assertThat(lstat(tree.resolve("etc/hostname")).permissions()).isEqualTo(0644);
        assertThat(lstat(tree.resolve("dev")).permissions()).isEqualTo(0755);
        assertThat(lstat(tree.resolve("dev/pts")).isDirectory()).isTrue();
    }

    @Test
    void symlinksOnTheWayResolveInsideTheTree() throws IOException {
        // /etc -> /private/etc (absolute: inside the tree, as the runtime resolves it), /dev -> ../../outside.
        Files.createDirectories(tree.resolve("private/etc"));
        Files.createSymbolicLink(tree.resolve("etc"), Path.of("/private/etc"));
        Files.createSymbolicLink(tree.resolve("dev"), Path.of("../../outside"));
        Map<String, String> outsideBefore = TreePrint.of(outside);

        MountTargets.create(tree, List.of(Target.file("/etc/hosts"), Target.directory("/dev/shm")));

        assertThat(lstat(tree.resolve("private/etc/hosts")).isRegularFile()).isTrue();
        assertThat(lstat(tree.resolve("etc")).isSymlink()).isTrue();
        // ".." stops at the tree's root: /dev is /outside of the tree, which did not exist, so nothing was made.
        assertThat(exists(tree.resolve("outside"))).isFalse();
        assertThat(TreePrint.of(outside)).isEqualTo(outsideBefore);
    }

    @Test
    void aSymlinkWhereAMountPointBelongsIsReplaced() throws IOException {
        Files.createDirectories(tree.resolve("etc"));
        Path hostFile = outside.resolve("resolv.conf");
        Files.createSymbolicLink(tree.resolve("etc/resolv.conf"), hostFile); // dangling, and absolute to the host
        Files.createSymbolicLink(tree.resolve("proc"), Path.of("/somewhere"));

        MountTargets.create(tree, List.of(Target.file("/etc/resolv.conf"), Target.directory("/proc")));

        assertThat(lstat(tree.resolve("etc/resolv.conf")).isRegularFile()).isTrue();
        assertThat(lstat(tree.resolve("proc")).isDirectory()).isTrue();
        assertThat(exists(hostFile)).isFalse();
        assertThat(exists(tree.resolve("somewhere"))).isFalse();
    }

    @Test
    void aTargetUnderANonDirectoryIsLeftToTheRuntime() throws IOException {
        Files.writeString(tree.resolve("etc"), "a file, not a directory");

        MountTargets.create(tree, List.of(Target.file("/etc/hosts"), Target.directory("/sys")));

        assertThat(Files.readString(tree.resolve("etc"))).isEqualTo("a file, not a directory");
        assertThat(lstat(tree.resolve("sys")).isDirectory()).isTrue();
    }
}
