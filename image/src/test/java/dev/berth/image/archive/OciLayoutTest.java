package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.image.BlobNotFoundException;
import dev.berth.image.ContentStore;
import dev.berth.image.DigestMismatchException;
import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.image.TestImages;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutTest {
    @TempDir
    Path dir;

    private ImageStore store;
    private Image busybox;

    @BeforeEach
    void setUp() throws IOException {
        store = newStore("a");
        busybox = TestImages.builder().busybox().label("org.example.test", "oci").put(store);
        store.tag(ImageReference.parse("busybox"), busybox.id());
        store.tag(ImageReference.parse("localhost:5000/a/b:1"), busybox.id());
    }

    private ImageStore newStore(String name) throws IOException {
        return new ImageStore(dir.resolve(name).resolve("images"), new ContentStore(dir.resolve(name).resolve("content")));
    }

    private List<ArchivedImage> selection(String... args) {
        return SaveSelection.resolve(store, List.of(args));
    }

    @Test
    void writesALayoutThatSkopeoReads() throws Exception {
        Path layout = dir.resolve("layout");
        new OciLayoutWriter(store.content()).write(layout, selection("busybox", "localhost:5000/a/b:1"));

        assertThat(layout.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
        ImageIndex index = ImageJson.MAPPER.readValue(layout.resolve("index.json").toFile(), ImageIndex.class);
        assertThat(index.manifests()).hasSize(2).allSatisfy(d -> {
            assertThat(d.digest()).isEqualTo(busybox.manifestDigests().getFirst().toString());
            assertThat(d.platform().toString()).isEqualTo("linux/amd64");
        });
        assertThat(index.manifests()).extracting(d -> d.annotations().get(OciLayout.REF_NAME)).containsExactly("latest", "1");
        assertThat(index.manifests()).extracting(d -> d.annotations().get(OciLayout.CONTAINERD_IMAGE_NAME))
                .containsExactly("docker.io/library/busybox:latest", "localhost:5000/a/b:1");
        assertThat(layout.resolve(OciLayout.blobPath(busybox.layers().getFirst().parsedDigest()))).exists();

        JsonNode inspected = Skopeo.inspect("oci:" + layout + ":latest");
        assertThat(inspected.path("Digest").asText()).isEqualTo(busybox.manifestDigests().getFirst().toString());
        assertThat(inspected.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(inspected.path("Os").asText()).isEqualTo("linux");
        assertThat(inspected.path("Labels").path("org.example.test").asText()).isEqualTo("oci");
        assertThat(inspected.path("Layers").get(0).asText()).isEqualTo(busybox.layers().getFirst().digest());
        assertThat(Skopeo.inspect("oci:" + layout + ":1").path("Digest").asText())
                .isEqualTo(busybox.manifestDigests().getFirst().toString());
    }

    @Test
    void readsItBackIntoAnotherStore() throws Exception {
        Path layout = dir.resolve("layout");
        new OciLayoutWriter(store.content()).write(layout, selection("busybox", "localhost:5000/a/b:1"));

        ImageStore other = newStore("b");
        List<ArchivedImage> loaded = new OciLayoutReader(other).load(layout, null, null);
        assertThat(loaded).hasSize(1);
        Image image = loaded.getFirst().image();
        assertThat(image.id()).isEqualTo(busybox.id());
        assertThat(image.manifestDigests()).isEqualTo(busybox.manifestDigests());
        assertThat(image.diffIds()).isEqualTo(busybox.diffIds());
        assertThat(loaded.getFirst().names()).containsExactly(ImageReference.parse("busybox:latest"),
                ImageReference.parse("localhost:5000/a/b:1"));
        assertThat(other.resolve("localhost:5000/a/b:1").id()).isEqualTo(busybox.id());

        // A ref name alone is a tag: the caller says which repository it belongs to.
        ImageStore third = newStore("c");
        List<ArchivedImage> one = new OciLayoutReader(third).load(layout, "1", ImageReference.parseNormalizedNamed("copy"));
        assertThat(one.getFirst().names()).containsExactly(ImageReference.parse("copy:1"));
        assertThat(third.references()).containsExactly(ImageReference.parse("copy:1"));
        assertThatThrownBy(() -> new OciLayoutReader(third).load(layout, "nope", null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("no image with ref name \"nope\"");
    }

    @Test
    void readsWhatSkopeoWrites() throws Exception {
        Path ours = dir.resolve("ours");
        new OciLayoutWriter(store.content()).write(ours, selection("busybox"));
        Path theirs = dir.resolve("theirs");
        Skopeo.copy("oci:" + ours + ":latest", "oci:" + theirs + ":v2");

        ImageStore other = newStore("b");
        List<ArchivedImage> loaded = new OciLayoutReader(other).load(theirs, "v2", ImageReference.parseNormalizedNamed("mirror"));
        assertThat(loaded.getFirst().image().id()).isEqualTo(busybox.id());
        assertThat(other.resolve("mirror:v2").diffIds()).isEqualTo(busybox.diffIds());
    }

    @Test
    void addsToAnExistingLayoutReplacingTheSameRefName() throws Exception {
        Path layout = dir.resolve("layout");
        new OciLayoutWriter(store.content()).write(layout, selection("busybox", "localhost:5000/a/b:1"));
        Image other = TestImages.builder().busybox().file("etc/other", "x").put(store);
        store.tag(ImageReference.parse("other:latest"), other.id());
        new OciLayoutWriter(store.content()).write(layout, selection("other"));

        ImageIndex index = ImageJson.MAPPER.readValue(layout.resolve("index.json").toFile(), ImageIndex.class);
        assertThat(index.manifests()).extracting(d -> d.annotations().get(OciLayout.REF_NAME)).containsExactly("1", "latest");
        assertThat(Skopeo.inspect("oci:" + layout + ":latest").path("Digest").asText())
                .isEqualTo(other.manifestDigests().getFirst().toString());
    }

    @Test
    void aLayoutInATarLoadsThroughTheArchiveLoader() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new OciLayoutWriter(store.content()).write(tar, selection("busybox"));
        ImageStore other = newStore("b");
        List<ArchivedImage> loaded = new ArchiveLoader(other).load(new ByteArrayInputStream(tar.toByteArray()));
        assertThat(loaded).singleElement().satisfies(a -> {
            assertThat(a.image().id()).isEqualTo(busybox.id());
            assertThat(a.names()).containsExactly(ImageReference.parse("busybox:latest"));
        });
        Path file = dir.resolve("layout.tar");
        Files.write(file, tar.toByteArray());
        assertThat(Skopeo.inspect("oci-archive:" + file + ":latest").path("Digest").asText())
                .isEqualTo(busybox.manifestDigests().getFirst().toString());
    }

    @Test
    void brokenLayoutsFailClearly() throws Exception {
        Path layout = dir.resolve("layout");
        new OciLayoutWriter(store.content()).write(layout, selection("busybox"));
        ImageStore other = newStore("b");

        assertThatThrownBy(() -> new OciLayoutReader(other).load(dir.resolve("nothing"), null, null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("no oci-layout file");

        Descriptor layer = busybox.layers().getFirst();
        Path blob = layout.resolve(OciLayout.blobPath(layer.parsedDigest()));
        byte[] good = Files.readAllBytes(blob);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(blob, bad);
        assertThatThrownBy(() -> new OciLayoutReader(other).load(layout, null, null))
                .isInstanceOf(DigestMismatchException.class);
        Files.delete(blob);
        assertThatThrownBy(() -> new OciLayoutReader(other).load(layout, null, null))
                .isInstanceOf(BlobNotFoundException.class).hasMessageContaining(layer.digest());
        assertThat(other.list()).isEmpty();
        assertThat(other.content().has(layer.parsedDigest())).isFalse();
    }
}
