package dev.berth.storage.snapshot;

import static dev.berth.storage.FileChecks.exists;
import static dev.berth.storage.FileChecks.lstat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ChainIds;
import dev.berth.storage.LayerBuilder;
import dev.berth.storage.Scratch;
import dev.berth.storage.SnapshotConflictException;
import dev.berth.storage.TreePrint;
import dev.berth.storage.archive.ApplyOptions;
import dev.berth.storage.archive.ApplyResult;
import dev.berth.oci.image.Compression;
import dev.berth.storage.archive.LayerApplier;
import dev.berth.storage.archive.LayerUnpacker;
import dev.berth.storage.diff.Change;
import dev.berth.storage.diff.Changes;
import dev.berth.storage.diff.DiffResult;
import dev.berth.storage.diff.DiffSource;
import dev.berth.storage.diff.DiffTar;
import dev.berth.storage.diff.RootfsExport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What every snapshotter must do, run against each on the real kernel. */
@Tag("root")
abstract class SnapshotterContract {
    protected Scratch scratch;
    protected Snapshotter snapshotter;

    abstract Snapshotter create(Path root) throws IOException;

    @BeforeEach
    void setUp() throws IOException {
        scratch = new Scratch();
        snapshotter = create(scratch.resolve("store"));
    }

    @AfterEach
    void tearDown() throws IOException {
        scratch.close();
    }

    static byte[] layer3() {
        return new LayerBuilder()
                .dir("opt/app")
                .file("opt/app/run", "#!/bin/sh\necho app\n".getBytes(StandardCharsets.UTF_8), LayerBuilder.meta().mode(0755))
                .file("etc/hostname", "three")
                .tar();
    }

    /** Unpacks layers bottom first, prepare-apply-commit per layer; returns the chain IDs. */
    List<Digest> unpack(byte[]... layers) throws IOException {
        List<Digest> chain = new ArrayList<>();
        Digest parent = null;
        for (byte[] tar : layers) {
            String key = "extract-" + chain.size();
            snapshotter.prepare(key, parent == null ? null : parent.toString());
            ApplyResult r = snapshotter.apply(key, new ByteArrayInputStream(LayerBuilder.gzip(tar)), null, Digest.sha256(tar));
            Digest c = ChainIds.next(parent, r.diffId());
            snapshotter.commit(c.toString(), key);
            chain.add(c);
            parent = c;
        }
        return chain;
    }

    List<Digest> threeLayers() throws IOException {
        return unpack(dev.berth.storage.archive.LayerApplierTestLayers.base(),
                dev.berth.storage.archive.LayerApplierTestLayers.whiteouts(), layer3());
    }

    @Test
    void threeLayersAndAContainerShowTheMergedView() throws Exception {
        List<Digest> chain = threeLayers();
        snapshotter.prepare("c1", chain.getLast().toString());
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        snapshotter.mount("c1", merged);
        try {
            assertThat(exists(merged.resolve("etc/passwd"))).isFalse();
            assertThat(exists(merged.resolve("etc/shadow"))).isTrue();
            assertThat(exists(merged.resolve("var/lib/gone"))).isFalse();
            try (var s = Files.list(merged.resolve("var/lib/opq"))) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("new");
            }
            assertThat(Files.readString(merged.resolve("etc/hostname"))).isEqualTo("three");
            assertThat(lstat(merged.resolve("usr/bin/su")).permissions()).isEqualTo(04755);
            assertThat(lstat(merged.resolve("etc")).permissions()).isEqualTo(0751);
            // The image runs: busybox from the merged view, chrooted.
            Process p = new ProcessBuilder("chroot", merged.toString(), "/bin/sh", "-c", "echo hi from $(ls /opt/app)")
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(said).isZero();
            assertThat(said.strip()).isEqualTo("hi from run");
        } finally {
            snapshotter.unmount(merged);
        }
    }

    @Test
    void containerWritesNeverChangeImageLayersAndDiffReproducesThem() throws Exception {
        List<Digest> chain = threeLayers();
        List<Map<String, String>> before = new ArrayList<>();
        for (Digest c : chain) {
            before.add(TreePrint.of(layerDir(c.toString())));
        }
        snapshotter.prepare("c1", chain.getLast().toString());
        snapshotter.prepare("c2", chain.getLast().toString());
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        Map<String, String> expected;
        snapshotter.mount("c1", merged);
        try {
            Files.writeString(merged.resolve("etc/shadow"), "changed\n");             // C, copied up
            Files.writeString(merged.resolve("new.txt"), "new\n");                    // A
            Files.delete(merged.resolve("etc/hostname"));                             // D (from layer 3)
            Files.delete(merged.resolve("bin/sh"));                                   // D (a symlink)
            Files.setPosixFilePermissions(merged.resolve("tmp"), PosixFilePermissions.fromString("rwx------")); // C
            deleteTree(merged.resolve("home"));                                       // D of a directory
            deleteTree(merged.resolve("var/lib/opq"));                                // rm -rf then mkdir: opaque
            Files.createDirectory(merged.resolve("var/lib/opq"));
            Files.writeString(merged.resolve("var/lib/opq/fresh"), "fresh");
            Files.createDirectories(merged.resolve("srv/data"));                      // A, with its parent
            expected = TreePrint.of(merged);
        } finally {
            snapshotter.unmount(merged);
        }
        for (int i = 0; i < chain.size(); i++) {
            assertThat(TreePrint.of(layerDir(chain.get(i).toString()))).as("layer " + i).isEqualTo(before.get(i));
        }
        // A second container on the same image saw none of it.
        snapshotter.mount("c2", merged);
        try {
            assertThat(Files.readString(merged.resolve("etc/hostname"))).isEqualTo("three");
            assertThat(exists(merged.resolve("new.txt"))).isFalse();
        } finally {
            snapshotter.unmount(merged);
        }

        List<String> changes = Changes.of(snapshotter.diffSource("c1")).stream().map(Change::toString).toList();
        assertThat(changes).contains("C /etc", "C /etc/shadow", "D /etc/hostname", "A /new.txt", "C /bin", "D /bin/sh",
                "C /tmp", "D /home", "C /var/lib/opq", "D /var/lib/opq/new", "A /var/lib/opq/fresh", "A /srv", "A /srv/data");
        assertThat(changes).doesNotContain("C /usr", "C /dev", "C /etc/passwd");
        assertThat(changes.stream().map(c -> c.substring(2)).toList()).isSorted();

        // The diff as a layer: applied over the image's layers it gives back what the container saw.
        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        DiffResult r = DiffTar.write(snapshotter.diffSource("c1"), diff, Compression.GZIP);
        assertThat(r.digest()).isEqualTo(Digest.sha256(diff.toByteArray()));
        Path rebuilt = scratch.resolve("rebuilt");
        Files.createDirectories(rebuilt);
        for (byte[] tar : List.of(dev.berth.storage.archive.LayerApplierTestLayers.base(),
                dev.berth.storage.archive.LayerApplierTestLayers.whiteouts(), layer3())) {
            LayerApplier.apply(new ByteArrayInputStream(tar), null, rebuilt, ApplyOptions.deleting());
        }
        ApplyResult applied = LayerApplier.apply(new ByteArrayInputStream(diff.toByteArray()), null, rebuilt, ApplyOptions.deleting());
        assertThat(applied.diffId()).isEqualTo(r.diffId());
        assertThat(TreePrint.of(rebuilt)).isEqualTo(expected);

        // The same diff committed as a fourth layer on top of the image, through the snapshotter.
        List<Digest> four = new ArrayList<>(chain);
        snapshotter.prepare("commit", chain.getLast().toString());
        snapshotter.apply("commit", new ByteArrayInputStream(diff.toByteArray()), null, r.diffId());
        Digest c4 = ChainIds.next(chain.getLast(), r.diffId());
        snapshotter.commit(c4.toString(), "commit");
        four.add(c4);
        snapshotter.view("v", c4.toString());
        snapshotter.mount("v", merged);
        try {
            assertThat(TreePrint.of(merged)).isEqualTo(expected);
            assertThatThrownBy(() -> Files.writeString(merged.resolve("x"), "x")).isInstanceOf(IOException.class);
        } finally {
            snapshotter.unmount(merged);
        }
    }

    @Test
    void exportWritesTheMergedView() throws Exception {
        List<Digest> chain = threeLayers();
        snapshotter.prepare("c1", chain.getLast().toString());
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        Map<String, String> expected;
        snapshotter.mount("c1", merged);
        try {
            Files.writeString(merged.resolve("root.txt"), "written in the container");
            expected = TreePrint.of(merged);
            // A read-only look while the container's own mount stays up (docker export of a running container).
            Path ro = Files.createDirectory(scratch.resolve("ro"));
            Mounter.mount(snapshotter.readOnlyMounts("c1"), ro);
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            try {
                RootfsExport.write(ro, tar);
            } finally {
                Mounter.unmount(ro);
            }
            Path unpacked = scratch.resolve("unpacked");
            LayerUnpacker.unpack(new ByteArrayInputStream(tar.toByteArray()), null, unpacked, ApplyOptions.deleting());
            assertThat(TreePrint.of(unpacked)).isEqualTo(expected);
            assertThat(lstat(unpacked.resolve("bin/ls")).ino()).isEqualTo(lstat(unpacked.resolve("bin/busybox")).ino());
        } finally {
            snapshotter.unmount(merged);
        }
    }

    @Test
    void aLongChainMounts() throws Exception {
        byte[][] layers = new byte[130][];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new LayerBuilder().dir("layers").file("layers/" + i, "layer " + i).file("top", "layer " + i).tar();
        }
        List<Digest> chain = unpack(layers);
        snapshotter.prepare("c", chain.getLast().toString());
        if (snapshotter instanceof OverlaySnapshotter) {
            // More than mount(2)'s one page of options: this only mounts through fsconfig "lowerdir+".
            assertThat(String.join(",", snapshotter.mounts("c").getFirst().options()).length()).isGreaterThan(4096);
        }
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        snapshotter.mount("c", merged);
        try {
            try (var s = Files.list(merged.resolve("layers"))) {
                assertThat(s.count()).isEqualTo(130);
            }
            assertThat(Files.readString(merged.resolve("top"))).isEqualTo("layer 129");
            assertThat(Files.readString(merged.resolve("layers/0"))).isEqualTo("layer 0");
        } finally {
            snapshotter.unmount(merged);
        }
    }

    @Test
    void removeRefusesParentsAndMountedSnapshots() throws Exception {
        List<Digest> chain = unpack(dev.berth.storage.archive.LayerApplierTestLayers.base());
        String base = chain.getFirst().toString();
        snapshotter.prepare("c", base);
        assertThatThrownBy(() -> snapshotter.remove(base)).isInstanceOf(SnapshotConflictException.class)
                .hasMessageContaining("parent");
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        snapshotter.mount("c", merged);
        try {
            assertThatThrownBy(() -> snapshotter.remove("c")).isInstanceOf(SnapshotConflictException.class)
                    .hasMessageContaining("mounted");
        } finally {
            snapshotter.unmount(merged);
        }
        assertThat(snapshotter.usage(base).size()).isGreaterThan(Files.size(Path.of("/bin/busybox")) / 2);
        snapshotter.remove("c");
        snapshotter.remove(base);
        assertThat(snapshotter.list()).isEmpty();
        assertThatThrownBy(() -> snapshotter.commit("x", "nope")).isInstanceOf(dev.berth.storage.SnapshotNotFoundException.class);
    }

    @Test
    void recordsSurviveARestart() throws Exception {
        List<Digest> chain = threeLayers();
        snapshotter.prepare("c1", chain.getLast().toString());
        Snapshotter again = create(scratch.resolve("store"));
        assertThat(again.list()).extracting(SnapshotInfo::key)
                .containsExactlyInAnyOrder(chain.get(0).toString(), chain.get(1).toString(), chain.get(2).toString(), "c1");
        assertThat(again.stat("c1").orElseThrow().parent()).isEqualTo(chain.getLast().toString());
        assertThat(again.mounts("c1")).isEqualTo(snapshotter.mounts("c1"));
    }

    /** Where committed snapshot {@code key}'s own files are. */
    Path layerDir(String key) throws IOException {
        return switch (snapshotter.diffSource(key)) {
            case DiffSource.OverlayUpper u -> u.upper();
            case DiffSource.TwoTrees t -> t.tree();
        };
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
