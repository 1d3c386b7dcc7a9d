package dev.berth.storage.archive;

import static dev.berth.storage.FileChecks.exists;
import static dev.berth.storage.FileChecks.lstat;
import static dev.berth.storage.FileChecks.xattr;
import static dev.berth.storage.LayerBuilder.meta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.storage.InvalidLayerException;
import dev.berth.storage.LayerBuilder;
import dev.berth.storage.Scratch;
import dev.berth.sys.FileStat;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("root")
class LayerApplierTest {
    private Scratch scratch;

    @BeforeEach
    void setUp() throws IOException {
        scratch = new Scratch();
    }

    @AfterEach
    void tearDown() throws IOException {
        scratch.close();
    }

    /** A base layer with one of each kind of node, busybox as the payload. */
    static byte[] baseLayer() throws IOException {
        byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
        return new LayerBuilder()
                .dir("./", meta().mode(0755).mtime(LayerBuilder.T2))
                .dir("bin", meta().mtime(LayerBuilder.T1))
                .file("bin/busybox", busybox, meta().mode(0755).mtime(LayerBuilder.T1))
                .symlink("bin/sh", "busybox", meta().mtime(LayerBuilder.T1))
                .hardlink("bin/ls", "bin/busybox")
                .dir("etc", meta().mode(0751).mtime(LayerBuilder.T1))
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")
                .file("etc/shadow", "root:*:1::::::\n".getBytes(), meta().mode(0640).owner(0, 42))
                // Parents given explicitly, each with a fixed time: an implicit parent gets the time
                // of the unpack, and two unpacks a second apart would then differ.
                .dir("usr")
                .dir("usr/bin")
                .file("usr/bin/su", busybox, meta().mode(04755))
                .file("usr/bin/ping", "cap".getBytes(), meta().mode(0755)
                        .xattr("security.capability", "\u0001\u0000\u0000\u0002\u0000\u0020\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"))
                .dir("tmp", meta().mode(01777))
                .fifo("tmp/fifo", meta().mode(0620).owner(1000, 1000))
                .dir("dev")
                .charDevice("dev/null", 1, 3, meta().mode(0666))
                .dir("home")
                .dir("home/user", meta().owner(1000, 1000).mode(0700).xattr("user.note", "hello"))
                .dir("var")
                .dir("var/lib")
                .dir("var/lib/opq")
                .file("var/lib/opq/lower", "x")
                .file("var/lib/gone", "x")
                .tar();
    }

    @Test
    void appliesEveryKindOfEntry() throws IOException {
        byte[] tar = baseLayer();
        Path root = scratch.resolve("layer");
        ApplyResult r = LayerUnpacker.unpack(new ByteArrayInputStream(tar), MediaTypes.OCI_LAYER, root, ApplyOptions.deleting());

        assertThat(r.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(r.size()).isEqualTo(tar.length);
        FileStat bb = lstat(root.resolve("bin/busybox"));
        assertThat(bb.isRegularFile()).isTrue();
        assertThat(bb.size()).isEqualTo(Files.size(Path.of("/bin/busybox")));
        assertThat(bb.permissions()).isEqualTo(0755);
        assertThat(bb.mtimeSec()).isEqualTo(LayerBuilder.T1.getEpochSecond());
        assertThat(bb.mtimeNsec()).isEqualTo(LayerBuilder.T1.getNano());
        assertThat(lstat(root.resolve("bin/ls")).ino()).isEqualTo(bb.ino());
        assertThat(bb.nlink()).isEqualTo(2);
        FileStat sh = lstat(root.resolve("bin/sh"));
        assertThat(sh.isSymlink()).isTrue();
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
        assertThat(sh.mtimeSec()).isEqualTo(LayerBuilder.T1.getEpochSecond());
        assertThat(lstat(root.resolve("bin")).mtimeSec()).isEqualTo(LayerBuilder.T1.getEpochSecond());
        assertThat(lstat(root).mtimeSec()).isEqualTo(LayerBuilder.T2.getEpochSecond());
        FileStat shadow = lstat(root.resolve("etc/shadow"));
        assertThat(shadow.gid()).isEqualTo(42);
        assertThat(shadow.permissions()).isEqualTo(0640);
        assertThat(lstat(root.resolve("usr/bin/su")).permissions()).isEqualTo(04755);
        assertThat(xattr(root.resolve("usr/bin/ping"), "security.capability")).isPresent();
        assertThat(lstat(root.resolve("tmp")).permissions()).isEqualTo(01777);
        FileStat fifo = lstat(root.resolve("tmp/fifo"));
        assertThat(fifo.isFifo()).isTrue();
        assertThat(fifo.uid()).isEqualTo(1000);
        assertThat(fifo.permissions()).isEqualTo(0620);
        FileStat nul = lstat(root.resolve("dev/null"));
        assertThat(nul.isCharDevice()).isTrue();
        assertThat(nul.rdevMajor()).isEqualTo(1);
        assertThat(nul.rdevMinor()).isEqualTo(3);
        FileStat home = lstat(root.resolve("home/user"));
        assertThat(home.uid()).isEqualTo(1000);
        assertThat(home.permissions()).isEqualTo(0700);
        assertThat(xattr(root.resolve("home/user"), "user.note")).hasValueSatisfying(v -> assertThat(new String(v)).isEqualTo("hello"));
        assertThat(lstat(root.resolve("home")).permissions()).isEqualTo(0755);
    }

    @Test
    void gzipAndZstdGiveTheSameDiffId() throws IOException {
        byte[] tar = baseLayer();
        Digest expected = Digest.sha256(tar);
        for (byte[] blob : List.of(LayerBuilder.gzip(tar), LayerBuilder.zstd(tar))) {
            Path root = scratch.resolve("l" + blob.length);
            ApplyResult r = LayerUnpacker.unpack(new ByteArrayInputStream(blob), null, root, ApplyOptions.deleting().expecting(expected));
            assertThat(r.diffId()).isEqualTo(expected);
            assertThat(exists(root.resolve("bin/busybox"))).isTrue();
        }
    }

    @Test
    void truncatedGzipFailsAndLeavesNothing() throws IOException {
        byte[] gz = LayerBuilder.gzip(baseLayer());
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        Path root = scratch.resolve("layer");
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(cut), MediaTypes.OCI_LAYER_GZIP, root, ApplyOptions.deleting()))
                .isInstanceOf(InvalidLayerException.class)
                .hasMessageContaining("truncated or corrupt");
        try (var s = Files.list(scratch.dir())) {
            assertThat(s.toList()).isEmpty();
        }
    }

    /** A layer over baseLayer(): deletes etc/passwd and var/lib/gone, makes var/lib/opq opaque with one new file. */
    static byte[] whiteoutLayer() {
        return new LayerBuilder()
                .whiteout("etc/passwd")
                .dir("var/lib", meta().mtime(LayerBuilder.T1))
                .whiteout("var/lib/gone")
                .dir("var/lib/opq")
                .opaque("var/lib/opq")
                .file("var/lib/opq/new", "new")
                .whiteout("never/existed")
                .tar();
    }

    @Test
    void overlayModeWritesOverlayWhiteouts() throws IOException {
        Path base = scratch.resolve("base");
        LayerUnpacker.unpack(new ByteArrayInputStream(baseLayer()), null, base, ApplyOptions.deleting());
        Path upper = scratch.resolve("upper");
        LayerUnpacker.unpack(new ByteArrayInputStream(whiteoutLayer()), null, upper, ApplyOptions.overlay(List.of(base)));

        FileStat wh = lstat(upper.resolve("etc/passwd"));
        assertThat(wh.isOverlayWhiteout()).isTrue();
        assertThat(lstat(upper.resolve("var/lib/gone")).isOverlayWhiteout()).isTrue();
        assertThat(xattr(upper.resolve("var/lib/opq"), "trusted.overlay.opaque")).hasValueSatisfying(v -> assertThat(v).isEqualTo("y".getBytes()));
        assertThat(exists(upper.resolve("var/lib/opq/new"))).isTrue();
        // etc/ was not in the archive: it takes the lower layer's attributes, so the merged view keeps them
        FileStat etc = lstat(upper.resolve("etc"));
        assertThat(etc.permissions()).isEqualTo(0751);
        assertThat(etc.mtimeSec()).isEqualTo(LayerBuilder.T1.getEpochSecond());
        // nothing below to hide: no whiteout, and no directory made just to hold one
        assertThat(exists(upper.resolve("never"))).isFalse();
    }

    @Test
    void deleteModeDeletesWhatWhiteoutsName() throws IOException {
        Path root = scratch.resolve("tree");
        Files.createDirectories(root);
        LayerApplier.apply(new ByteArrayInputStream(baseLayer()), null, root, ApplyOptions.deleting());
        LayerApplier.apply(new ByteArrayInputStream(whiteoutLayer()), null, root, ApplyOptions.deleting());

        assertThat(exists(root.resolve("etc/passwd"))).isFalse();
        assertThat(exists(root.resolve("etc/shadow"))).isTrue();
        assertThat(exists(root.resolve("var/lib/gone"))).isFalse();
        try (var s = Files.list(root.resolve("var/lib/opq"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("new");
        }
        assertThat(exists(root.resolve("never"))).isFalse();
        assertThat(lstat(root.resolve("var/lib")).mtimeSec()).isEqualTo(LayerBuilder.T1.getEpochSecond());
    }

    @Test
    void sameLayerContentWinsOverItsOwnWhiteoutsInAnyOrder() throws IOException {
        byte[] layer = new LayerBuilder()
                .file("d/keep", "mine")
                .whiteout("d/keep")
                .opaque("d")
                .tar();
        Path root = scratch.resolve("tree");
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/lower"), "lower");
        LayerApplier.apply(new ByteArrayInputStream(layer), null, root, ApplyOptions.deleting());
        try (var s = Files.list(root.resolve("d"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("keep");
        }
    }

    @Test
    void binaryXattrsArriveByteForByte() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            w.add(new TarHeader("ping", TarHeader.FILE, 0755, 0, 0, 0, 0, "", 0, 0,
                    java.util.Map.of("security.capability", TarWriterTest.CAP_SETUID)), null);
        }
        Path root = scratch.resolve("layer");
        LayerUnpacker.unpack(new ByteArrayInputStream(out.toByteArray()), null, root, ApplyOptions.deleting());
        assertThat(xattr(root.resolve("ping"), "security.capability")).hasValueSatisfying(v -> assertThat(v).isEqualTo(TarWriterTest.CAP_SETUID));
    }

    @Test
    void symlinksInsideTheRootAreFollowedForParents() throws IOException {
        byte[] layer = new LayerBuilder().dir("usr/lib").symlink("lib", "usr/lib").file("lib/x", "x").tar();
        Path root = scratch.resolve("layer");
        LayerUnpacker.unpack(new ByteArrayInputStream(layer), null, root, ApplyOptions.deleting());
        assertThat(Files.readString(root.resolve("usr/lib/x"))).isEqualTo("x");
    }

    @Test
    void entriesThatEscapeAreRefusedAndNothingIsWritten() throws IOException {
        String mark = "berth-escape-" + java.util.UUID.randomUUID();
        Path outside = Path.of("/tmp", mark);
        FileStat shadow = lstat(Path.of("/etc/shadow"));
        List<byte[]> attacks = List.of(
                new LayerBuilder().file("ok", "x").file("../../" + mark, "pwned").tar(),
                new LayerBuilder().file("../../../../../../../../tmp/" + mark, "pwned").tar(),
                new LayerBuilder().symlink("evil", "/tmp").file("evil/" + mark, "pwned").tar(),
                new LayerBuilder().symlink("up", "../../../../../../../tmp").file("up/" + mark, "pwned").tar(),
                new LayerBuilder().symlink("evil", "/tmp").dir("evil/" + mark).tar(),
                new LayerBuilder().symlink("evil", "/tmp").whiteout("evil/" + mark).tar(),
                new LayerBuilder().hardlink("shadow", "../../../../../../etc/shadow").tar(),
                new LayerBuilder().symlink("etc", "/etc").hardlink("shadow", "etc/shadow").tar());
        for (byte[] tar : attacks) {
            Path root = scratch.resolve("layer");
            assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(tar), null, root, ApplyOptions.deleting()))
                    .isInstanceOf(dev.berth.storage.UnsafeEntryException.class)
                    .hasMessageContaining("refused");
            assertThat(outside).doesNotExist();
            try (var s = Files.list(scratch.dir())) {
                assertThat(s.toList()).isEmpty();
            }
        }
        // Made relative, /etc/shadow names the layer's own etc/shadow, which is not there.
        byte[] absolute = new LayerBuilder().hardlink("shadow", "/etc/shadow").tar();
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(absolute), null, scratch.resolve("l"), ApplyOptions.deleting()))
                .isInstanceOf(InvalidLayerException.class).hasMessageContaining("not in the layer");
        assertThat(lstat(Path.of("/etc/shadow")).nlink()).isEqualTo(shadow.nlink());
        assertThat(lstat(Path.of("/etc/shadow")).ino()).isEqualTo(shadow.ino());
    }

    @Test
    void aTruncatedZstdStreamOrAWrongDiffIdFails() throws IOException {
        byte[] tar = baseLayer();
        byte[] zst = LayerBuilder.zstd(tar);
        byte[] cut = java.util.Arrays.copyOf(zst, zst.length - 100);
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(cut), MediaTypes.OCI_LAYER_ZSTD, scratch.resolve("a"), ApplyOptions.deleting()))
                .isInstanceOf(InvalidLayerException.class).hasMessageContaining("truncated or corrupt");
        Digest wrong = Digest.sha256(new byte[] {1});
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(tar), null, scratch.resolve("b"), ApplyOptions.deleting().expecting(wrong)))
                .isInstanceOf(InvalidLayerException.class).hasMessageContaining("diffID mismatch");
        byte[] corrupt = LayerBuilder.gzip(tar);
        corrupt[corrupt.length / 2] ^= 0x55;
        assertThatThrownBy(() -> LayerUnpacker.unpack(new ByteArrayInputStream(corrupt), null, scratch.resolve("c"), ApplyOptions.deleting()))
                .isInstanceOf(InvalidLayerException.class);
        try (var s = Files.list(scratch.dir())) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void overlayDirectoriesThatReplaceTheirOwnWhiteoutHideTheLowerOne() throws IOException {
        Path lower = scratch.resolve("lower");
        LayerUnpacker.unpack(new ByteArrayInputStream(new LayerBuilder().file("a/old", "x").file("b/old", "x").tar()),
                null, lower, ApplyOptions.deleting());
        byte[] layer = new LayerBuilder()
                .whiteout("a").dir("a").file("a/new", "n")   // whiteout first, then the directory
                .dir("b").file("b/new", "n").whiteout("b")   // the directory first, then its whiteout
                .tar();
        Path upper = scratch.resolve("upper");
        LayerUnpacker.unpack(new ByteArrayInputStream(layer), null, upper, ApplyOptions.overlay(List.of(lower)));
        for (String d : List.of("a", "b")) {
            assertThat(xattr(upper.resolve(d), "trusted.overlay.opaque")).as(d).isPresent();
            assertThat(exists(upper.resolve(d + "/new"))).isTrue();
        }
    }
}
