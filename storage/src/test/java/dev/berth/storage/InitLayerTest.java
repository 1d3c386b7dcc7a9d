package dev.berth.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Compression;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.storage.diff.Change;
import dev.berth.storage.diff.Changes;
import dev.berth.storage.diff.DiffTar;
import dev.berth.storage.diff.RootfsExport;
import dev.berth.storage.snapshot.CopySnapshotter;
import dev.berth.storage.snapshot.Mount;
import dev.berth.storage.snapshot.MountTargets;
import dev.berth.storage.snapshot.MountTargets.Target;
import dev.berth.storage.snapshot.Mounter;
import dev.berth.storage.snapshot.OverlaySnapshotter;
import dev.berth.storage.snapshot.SnapshotInfo;
import dev.berth.storage.snapshot.Snapshotter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A read-write layer over an init layer of its own, with either snapshotter: what the init layer
 * holds is in the merged view and in an export, but not in the read-write layer's changes or its
 * diff tar; removal takes both layers, after a restart too, and a failed fill leaves neither.
 */
@Tag("root")
class InitLayerTest {
    private static final List<Target> TARGETS = List.of(Target.directory("/proc"), Target.directory("/dev/pts"),
            Target.file("/etc/hosts"), Target.file("/etc/hostname"), Target.file("/etc/resolv.conf"),
            Target.symlink("/etc/mtab", "/proc/mounts"));

    private final byte[] image = new LayerBuilder()
            .dir("etc").file("etc/hosts", "the image's hosts")
            .symlink("etc/resolv.conf", "/run/systemd/resolve/stub-resolv.conf")
            .dir("tmp").file("bin/tool", "tool").tar();
    private Scratch scratch;

    @BeforeEach
    void setUp() throws IOException {
        scratch = new Scratch();
    }

    @AfterEach
    void tearDown() throws IOException {
        scratch.close();
    }

    private LayerStore open(String kind) throws IOException {
        Path root = scratch.resolve("storage");
        Snapshotter s = kind.equals("overlay") ? new OverlaySnapshotter(root.resolve("overlay")) : new CopySnapshotter(root.resolve("copy"));
        return new LayerStore(root, s);
    }

    private Layer base(LayerStore store) throws IOException {
        return store.register(null, new ByteArrayInputStream(LayerBuilder.gzip(image)), MediaTypes.OCI_LAYER_GZIP,
                Digest.sha256(image), "image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void theInitLayerIsSeenButIsNoChange(String kind) throws IOException {
        LayerStore store = open(kind);
        Layer base = base(store);
        List<Mount> mounts = store.createReadWrite("c1", base.chainId(), root -> MountTargets.create(root, TARGETS));
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        Mounter.mount(mounts, merged);
        try {
            assertThat(Files.readString(merged.resolve("etc/hosts"))).isEqualTo("the image's hosts");
            assertThat(Files.isRegularFile(merged.resolve("etc/hostname"))).isTrue();
            assertThat(Files.isSymbolicLink(merged.resolve("etc/resolv.conf"))).isFalse();
            assertThat(Files.readSymbolicLink(merged.resolve("etc/mtab"))).isEqualTo(Path.of("/proc/mounts"));
            Files.writeString(merged.resolve("tmp/x"), "hi\n");
        } finally {
            Mounter.unmount(merged);
        }
        String rw = LayerStore.readWriteKey("c1");
        assertThat(Changes.of(store.snapshotter().diffSource(rw)).stream().map(Change::toString))
                .containsExactly("C /tmp", "A /tmp/x");
        ByteArrayOutputStream diff = new ByteArrayOutputStream();
        DiffTar.write(store.snapshotter().diffSource(rw), diff, Compression.NONE);
        assertThat(names(diff.toByteArray())).containsExactly("tmp/", "tmp/x");

        Mounter.mount(store.snapshotter().readOnlyMounts(rw), merged);
        ByteArrayOutputStream export = new ByteArrayOutputStream();
        try {
            RootfsExport.write(merged, export);
        } finally {
            Mounter.unmount(merged);
        }
        assertThat(names(export.toByteArray())).contains("etc/hosts", "etc/hostname", "etc/resolv.conf", "etc/mtab",
                "proc/", "dev/pts/", "tmp/x", "bin/tool");

        // The image's layer cannot go while the container's layers stand on it.
        assertThat(store.release(base.chainId(), "image")).isEmpty();
        LayerStore reopened = open(kind);
        assertThat(reopened.snapshotter().stat(LayerStore.initKey("c1")).map(SnapshotInfo::kind))
                .contains(SnapshotInfo.Kind.COMMITTED);
        reopened.removeReadWrite("c1");
        assertThat(reopened.snapshotter().list()).extracting(SnapshotInfo::key).containsExactly(base.chainId().toString());
        assertThat(reopened.prune()).containsExactly(base.chainId().toString());
        assertThat(scratch.resolve("storage/mnt")).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void aFailedFillLeavesNeitherLayer(String kind) throws IOException {
        LayerStore store = open(kind);
        Layer base = base(store);
        assertThatThrownBy(() -> store.createReadWrite("c1", base.chainId(), root -> {
            Files.writeString(root.resolve("half"), "made");
            throw new IOException("no space left");
        })).hasMessage("no space left");
        assertThat(store.snapshotter().list()).extracting(SnapshotInfo::key).containsExactly(base.chainId().toString());
        assertThat(scratch.resolve("storage/mnt")).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void aReadWriteLayerMadeWithoutAnInitLayerIsRemovedAsBefore(String kind) throws IOException {
        LayerStore store = open(kind);
        Layer base = base(store);
        store.createReadWrite("old", base.chainId());
        open(kind).removeReadWrite("old");
        assertThat(open(kind).snapshotter().list()).extracting(SnapshotInfo::key).containsExactly(base.chainId().toString());
    }

    private static List<String> names(byte[] tar) throws IOException {
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
                out.add(e.getName());
            }
        }
        return out;
    }
}
