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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A read-write layer over an init layer, with either snapshotter: what the init layer holds is in
 * the merged view and in an export, but not in the read-write layer's changes or its diff tar. The
 * init layer is made once per parent and name and shared; it stays while the parent layer's owners
 * or a read-write layer hold it, after a restart too, and goes with the last of them; a failed
 * fill leaves nothing; an older read-write layer with an init layer of its own is removed whole.
 */
@Tag("root")
class InitLayerTest {
    private static final List<Target> TARGETS = List.of(Target.directory("/proc"), Target.directory("/dev/pts"),
            Target.file("/etc/hosts"), Target.file("/etc/hostname"), Target.file("/etc/resolv.conf"),
            Target.symlink("/etc/mtab", "/proc/mounts"));
    private static final String NAME = "test";
    private static final LayerStore.InitFiller FILL = root -> MountTargets.create(root, TARGETS);

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
        List<Mount> mounts = store.createReadWrite("c1", base.chainId(), NAME, FILL);
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
        String init = LayerStore.initKey(NAME, base.chainId());
        assertThat(reopened.snapshotter().stat(init).map(SnapshotInfo::kind)).contains(SnapshotInfo.Kind.COMMITTED);
        assertThat(reopened.snapshotter().stat(rw).map(SnapshotInfo::parent)).contains(init);
        reopened.removeReadWrite("c1"); // the last user of an image released meanwhile: the init layer goes too
        assertThat(reopened.snapshotter().list()).extracting(SnapshotInfo::key).containsExactly(base.chainId().toString());
        assertThat(reopened.prune()).containsExactly(base.chainId().toString());
        assertThat(scratch.resolve("storage/mnt")).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void aFailedFillLeavesNeitherLayer(String kind) throws IOException {
        LayerStore store = open(kind);
        Layer base = base(store);
        assertThatThrownBy(() -> store.createReadWrite("c1", base.chainId(), NAME, root -> {
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

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void theReadWriteLayersOfOneParentShareOneInitLayerWhileItsOwnersHoldIt(String kind) throws IOException {
        LayerStore store = open(kind);
        Layer base = base(store);
        int[] fills = {0};
        LayerStore.InitFiller counting = root -> {
            fills[0]++;
            FILL.fill(root);
        };
        store.createReadWrite("c1", base.chainId(), NAME, counting);
        store.createReadWrite("c2", base.chainId(), NAME, counting);
        String init = LayerStore.initKey(NAME, base.chainId());
        assertThat(fills[0]).isEqualTo(1);
        assertThat(store.snapshotter().list()).extracting(SnapshotInfo::key)
                .containsExactlyInAnyOrder(base.chainId().toString(), init, "rw/c1", "rw/c2");
        assertThat(store.snapshotter().stat("rw/c2").map(SnapshotInfo::parent)).contains(init);

        // Another filler, another init layer.
        store.createReadWrite("c3", base.chainId(), "other", counting);
        assertThat(fills[0]).isEqualTo(2);
        assertThat(store.snapshotter().stat("rw/c3").map(SnapshotInfo::parent)).contains(LayerStore.initKey("other", base.chainId()));

        // The image still holds its layer: the init layers outlive their containers, and a prune.
        for (String c : List.of("c1", "c2", "c3")) {
            store.removeReadWrite(c);
        }
        assertThat(store.prune()).isEmpty();
        LayerStore reopened = open(kind);
        assertThat(reopened.snapshotter().list()).extracting(SnapshotInfo::key)
                .containsExactlyInAnyOrder(base.chainId().toString(), init, LayerStore.initKey("other", base.chainId()));
        Path merged = Files.createDirectory(scratch.resolve("merged"));
        Mounter.mount(reopened.createReadWrite("c4", base.chainId(), NAME, counting), merged);
        try {
            assertThat(Files.readSymbolicLink(merged.resolve("etc/mtab"))).isEqualTo(Path.of("/proc/mounts"));
        } finally {
            Mounter.unmount(merged);
        }
        assertThat(fills[0]).isEqualTo(2);
        reopened.removeReadWrite("c4");

        // Releasing the image takes its layer and the init layers on it.
        assertThat(reopened.release(base.chainId(), "image")).containsExactly(base.chainId());
        assertThat(reopened.snapshotter().list()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void twoCreatesAtOnceKeepOneInitLayer(String kind) throws Exception {
        LayerStore store = open(kind);
        Layer base = base(store);
        CountDownLatch bothFilling = new CountDownLatch(2);
        LayerStore.InitFiller waiting = root -> {
            bothFilling.countDown();
            try {
                bothFilling.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            FILL.fill(root);
        };
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var a = pool.submit(() -> store.createReadWrite("c1", base.chainId(), NAME, waiting));
            var b = pool.submit(() -> store.createReadWrite("c2", base.chainId(), NAME, waiting));
            a.get();
            b.get();
        }
        String init = LayerStore.initKey(NAME, base.chainId());
        assertThat(store.snapshotter().list()).extracting(SnapshotInfo::key)
                .containsExactlyInAnyOrder(base.chainId().toString(), init, "rw/c1", "rw/c2");
        assertThat(scratch.resolve("storage/mnt")).isEmptyDirectory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlay", "copy"})
    void anOlderReadWriteLayerWithAnInitLayerOfItsOwnIsRemovedWhole(String kind) throws IOException {
        LayerStore store = open(kind);
        Layer base = base(store);
        // What Berth made before init layers were shared: init-preparing/ID, filled, committed as init/ID.
        Snapshotter s = store.snapshotter();
        s.prepare("init-preparing/old", base.chainId().toString());
        s.commit("init/old", "init-preparing/old");
        s.prepare("rw/old", "init/old");
        s.prepare("init-preparing/cut-short", base.chainId().toString()); // a create the process did not live to finish
        LayerStore reopened = open(kind);
        assertThat(reopened.snapshotter().list()).extracting(SnapshotInfo::key)
                .containsExactlyInAnyOrder(base.chainId().toString(), "init/old", "rw/old");
        reopened.removeReadWrite("old");
        assertThat(reopened.snapshotter().list()).extracting(SnapshotInfo::key).containsExactly(base.chainId().toString());
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
