package dev.berth.storage;

import dev.berth.oci.image.ChainIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.storage.archive.LayerApplierTestLayers;
import dev.berth.storage.snapshot.OverlaySnapshotter;
import dev.berth.storage.snapshot.SnapshotInfo;
import dev.berth.storage.snapshot.Snapshotter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("root")
class LayerStoreTest {
    private Scratch scratch;
    private LayerStore store;
    private final byte[] base = LayerApplierTestLayers.base();
    private final byte[] app = new LayerBuilder().file("app", "app").tar();
    private final byte[] tool = new LayerBuilder().file("tool", "tool").tar();

    @BeforeEach
    void setUp() throws IOException {
        scratch = new Scratch();
        store = open();
    }

    private LayerStore open() throws IOException {
        Path root = scratch.resolve("storage");
        return new LayerStore(root, new OverlaySnapshotter(root.resolve("overlay")));
    }

    @AfterEach
    void tearDown() throws IOException {
        scratch.close();
    }

    private static InputStream gz(byte[] tar) {
        return new ByteArrayInputStream(LayerBuilder.gzip(tar));
    }

    @Test
    void layersAreSharedAndGoOnlyWhenNothingUsesThem() throws IOException {
        // image A = base + app, image B = base + tool: one base on disk.
        Layer baseA = store.register(null, gz(base), MediaTypes.OCI_LAYER_GZIP, Digest.sha256(base), "image-a");
        Layer appA = store.register(baseA.chainId(), gz(app), MediaTypes.OCI_LAYER_GZIP, Digest.sha256(app), "image-a");
        Layer baseB = store.register(null, gz(base), MediaTypes.OCI_LAYER_GZIP, Digest.sha256(base), "image-b");
        Layer toolB = store.register(baseB.chainId(), gz(tool), MediaTypes.OCI_LAYER_GZIP, Digest.sha256(tool), "image-b");
        assertThat(baseB.chainId()).isEqualTo(baseA.chainId());
        assertThat(store.get(baseA.chainId()).orElseThrow().owners()).containsExactlyInAnyOrder("image-a", "image-b");
        assertThat(store.snapshotter().list()).hasSize(3);
        assertThat(appA.chainId()).isEqualTo(ChainIds.top(List.of(Digest.sha256(base), Digest.sha256(app))));

        // A container on image A.
        store.createReadWrite("c1", appA.chainId());

        // rmi A: its layers stay while the container uses them.
        store.release(appA.chainId(), "image-a");
        assertThat(store.release(baseA.chainId(), "image-a")).isEmpty();
        assertThat(store.get(appA.chainId())).isPresent();

        // The container goes: a prune now takes app (unowned, unused) but not base (image B holds it).
        store.removeReadWrite("c1");
        assertThat(store.prune()).containsExactly(appA.chainId().toString());
        assertThat(store.get(baseA.chainId())).isPresent();

        // rmi B: releasing its top layer takes the whole chain, top down.
        store.release(baseB.chainId(), "image-b");
        assertThat(store.release(toolB.chainId(), "image-b")).containsExactly(toolB.chainId(), baseB.chainId());
        assertThat(store.list()).isEmpty();
        assertThat(store.snapshotter().list()).isEmpty();
    }

    @Test
    void aKnownLayerIsNotUnpackedAgain() throws IOException {
        Layer first = store.register(null, gz(base), null, Digest.sha256(base), "a");
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the blob of a present layer was read");
            }
        };
        Layer again = store.register(null, never, null, Digest.sha256(base), "b");
        assertThat(again.chainId()).isEqualTo(first.chainId());
        assertThat(store.get(first.chainId()).orElseThrow().owners()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aBadBlobLeavesNothingAndARetrySucceeds() throws IOException {
        byte[] gz = LayerBuilder.gzip(base);
        byte[] cut = Arrays.copyOf(gz, gz.length / 3);
        assertThatThrownBy(() -> store.register(null, new ByteArrayInputStream(cut), MediaTypes.OCI_LAYER_GZIP, Digest.sha256(base), "a"))
                .isInstanceOf(InvalidLayerException.class);
        assertThat(store.snapshotter().list()).isEmpty();
        try (var s = Files.list(scratch.resolve("storage/overlay/snapshots"))) {
            assertThat(s.toList()).isEmpty();
        }
        assertThat(store.register(null, new ByteArrayInputStream(gz), null, Digest.sha256(base), "a")).isNotNull();
    }

    @Test
    void referencesSurviveARestartAndPruneTakesLeftovers() throws IOException {
        Layer b = store.register(null, gz(base), null, null, "image");
        Snapshotter s = store.snapshotter();
        // An unpack interrupted by a crash leaves an active snapshot behind.
        s.prepare("extract/crashed", b.chainId().toString());
        // And a layer nobody holds.
        Layer orphan = store.register(b.chainId(), gz(app), null, null, "gone");
        store.retain(orphan.chainId(), "x");
        store.release(orphan.chainId(), "x");
        store.release(orphan.chainId(), "gone");

        LayerStore reopened = open();
        assertThat(reopened.get(b.chainId()).orElseThrow().owners()).containsExactly("image");
        assertThat(reopened.prune()).containsExactly("extract/crashed");
        assertThat(reopened.snapshotter().list()).extracting(SnapshotInfo::key).containsExactly(b.chainId().toString());
    }
}
