package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.image.Compression;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.image.TestImages;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootfsImporterTest {
    @TempDir
    Path dir;

    private ImageStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = new ImageStore(dir.resolve("images"), new ContentStore(dir.resolve("content")));
    }

    @Test
    void aTarballBecomesAOneLayerImage() throws Exception {
        byte[] rootfs = TestImages.busyboxLayer();
        ImageConfig.Config changes = new ImageConfig.Config(null, null, List.of("A=1"), null, List.of("sh", "-c", "echo hi"),
                null, "/", null, null, null, null, null, null);
        Image image = new RootfsImporter(store).importTarball(
                new ByteArrayInputStream(TestImages.compress(rootfs, Compression.GZIP)),
                RootfsImporter.Options.defaults().withTag(ImageReference.parse("imported:1")).withChanges(changes));

        assertThat(image.diffIds()).containsExactly(Digest.sha256(rootfs));
        assertThat(image.layers()).singleElement().satisfies(l -> {
            assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER); // stored plain: blob digest = DiffID
            assertThat(l.parsedDigest()).isEqualTo(Digest.sha256(rootfs));
        });
        assertThat(image.history()).singleElement().satisfies(h -> assertThat(h.comment()).isEqualTo("Imported from -"));
        assertThat(image.config().config().cmd()).containsExactly("sh", "-c", "echo hi");
        assertThat(image.created()).isPresent();
        assertThat(image.platform().os()).isEqualTo("linux");
        assertThat(image.repoTags()).containsExactly(ImageReference.parse("imported:1"));
        assertThat(store.resolve("imported:1").id()).isEqualTo(image.id());

        // skopeo agrees it is an image with that one layer.
        Path layout = dir.resolve("layout");
        new OciLayoutWriter(store.content()).write(layout, SaveSelection.resolve(store, List.of("imported:1")));
        JsonNode inspected = Skopeo.inspect("oci:" + layout + ":1");
        assertThat(inspected.path("Layers").get(0).asText()).isEqualTo(Digest.sha256(rootfs).toString());
    }

    @Test
    void aMessageReplacesTheDefaultComment() throws Exception {
        Image image = new RootfsImporter(store).importTarball(new ByteArrayInputStream(TestImages.tar(java.util.Map.of("a", "b"))),
                RootfsImporter.Options.defaults().withMessage("from a test"));
        assertThat(image.history().getFirst().comment()).isEqualTo("from a test");
        assertThat(image.dangling()).isTrue();
    }

    @Test
    void whatIsNotATarIsRefusedAndNotKept() throws Exception {
        RootfsImporter importer = new RootfsImporter(store);
        assertThatThrownBy(() -> importer.importTarball(new ByteArrayInputStream("just some text\n".repeat(100).getBytes()),
                RootfsImporter.Options.defaults()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("not a tar archive");
        assertThatThrownBy(() -> importer.importTarball(new ByteArrayInputStream(new byte[0]), RootfsImporter.Options.defaults()))
                .isInstanceOf(InvalidImageException.class);
        assertThat(store.list()).isEmpty();
        assertThat(store.content().list()).isEmpty();
        try (var files = Files.list(dir.resolve("content/ingest"))) {
            assertThat(files).isEmpty();
        }
    }
}
