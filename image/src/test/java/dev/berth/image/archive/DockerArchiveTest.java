package dev.berth.image.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.image.Compression;
import dev.berth.image.ContentStore;
import dev.berth.image.DigestMismatchException;
import dev.berth.image.Image;
import dev.berth.image.ImageJson;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.image.TestImages;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveTest {
    @TempDir
    Path dir;

    private ImageStore store;
    private Image busybox;

    @BeforeEach
    void setUp() throws IOException {
        store = newStore("a");
        // gzip layers, as a pull leaves them: saving must decompress them.
        busybox = TestImages.builder().busybox().file("etc/motd", "hello\n").put(store);
        store.tag(ImageReference.parse("busybox"), busybox.id());
        store.tag(ImageReference.parse("busybox:1.36"), busybox.id());
        store.tag(ImageReference.parse("localhost:5000/a/b:1"), busybox.id());
    }

    private ImageStore newStore(String name) throws IOException {
        return new ImageStore(dir.resolve(name).resolve("images"), new ContentStore(dir.resolve(name).resolve("content")));
    }

    private Path save(ImageStore from, String... args) throws IOException {
        Path file = Files.createTempFile(dir, "save-", ".tar");
        try (var out = Files.newOutputStream(file)) {
            new DockerArchiveWriter(from.content(), dir.resolve("work")).write(out, SaveSelection.resolve(from, List.of(args)));
        }
        return file;
    }

    private static Map<String, byte[]> entries(Path tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), e.isDirectory() ? new byte[0] : in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void saveWritesDocker25sLayoutWithPlainLayers() throws Exception {
        Path file = save(store, "busybox:latest");
        Map<String, byte[]> entries = entries(file);
        String configPath = "blobs/sha256/" + busybox.id().encoded();
        List<String> layerPaths = busybox.diffIds().stream().map(d -> "blobs/sha256/" + d.encoded()).toList();
        assertThat(entries).containsKeys("manifest.json", "repositories", "index.json", "oci-layout", configPath)
                .containsKeys(layerPaths.toArray(String[]::new));
        // Layers are the uncompressed tars, named by DiffID.
        assertThat(entries.get(layerPaths.getFirst())).isEqualTo(TestImages.busyboxLayer());

        JsonNode manifest = ImageJson.MAPPER.readTree(entries.get("manifest.json"));
        assertThat(manifest).hasSize(1);
        assertThat(manifest.get(0).path("Config").asText()).isEqualTo(configPath);
        assertThat(manifest.get(0).path("RepoTags").get(0).asText()).isEqualTo("busybox:latest");
        assertThat(manifest.get(0).path("Layers")).extracting(JsonNode::asText).containsExactlyElementsOf(layerPaths);
        JsonNode repositories = ImageJson.MAPPER.readTree(entries.get("repositories"));
        assertThat(repositories.path("busybox").path("latest").asText()).isEqualTo(busybox.diffIds().getLast().encoded());

        JsonNode inspected = Skopeo.inspect("docker-archive:" + file);
        assertThat(inspected.path("Architecture").asText()).isEqualTo("amd64");
        assertThat(inspected.path("Layers")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(busybox.diffIds().stream().map(Digest::toString).toList());
        assertThat(Skopeo.inspect("docker-archive:" + file + ":busybox:latest").path("Os").asText()).isEqualTo("linux");
        // ... and it is an OCI layout too.
        JsonNode raw = Skopeo.inspectRaw("oci-archive:" + file + ":latest");
        assertThat(raw.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(raw.path("layers").get(0).path("mediaType").asText()).isEqualTo(MediaTypes.OCI_LAYER);
    }

    @Test
    void saveSelectsLikeDocker() throws Exception {
        // A bare name saves every tag of the repository; an ID saves no tag.
        JsonNode byName = ImageJson.MAPPER.readTree(entries(save(store, "busybox")).get("manifest.json"));
        assertThat(byName.get(0).path("RepoTags")).extracting(JsonNode::asText)
                .containsExactly("busybox:1.36", "busybox:latest");
        JsonNode byId = ImageJson.MAPPER.readTree(entries(save(store, busybox.shortId())).get("manifest.json"));
        assertThat(byId.get(0).path("RepoTags").isNull()).isTrue();
        JsonNode both = ImageJson.MAPPER.readTree(entries(save(store, "busybox:1.36", "localhost:5000/a/b:1",
                busybox.id().toString())).get("manifest.json"));
        assertThat(both).hasSize(1);
        assertThat(both.get(0).path("RepoTags")).extracting(JsonNode::asText)
                .containsExactly("busybox:1.36", "localhost:5000/a/b:1");
        assertThatThrownBy(() -> save(store, "busybox:nope")).hasMessage("No such image: busybox:nope");
    }

    @Test
    void loadsItsOwnSave() throws Exception {
        Path file = save(store, "busybox:latest", "localhost:5000/a/b:1");
        ImageStore other = newStore("b");
        List<ArchivedImage> loaded;
        try (InputStream in = Files.newInputStream(file)) {
            loaded = new ArchiveLoader(other).load(in);
        }
        assertThat(loaded).singleElement().satisfies(a -> {
            assertThat(a.image().id()).isEqualTo(busybox.id());
            assertThat(a.image().diffIds()).isEqualTo(busybox.diffIds());
            assertThat(a.image().chainIds()).isEqualTo(busybox.chainIds());
            assertThat(a.image().layers()).allMatch(l -> l.mediaType().equals(MediaTypes.OCI_LAYER));
            assertThat(a.names()).containsExactly(ImageReference.parse("busybox:latest"),
                    ImageReference.parse("localhost:5000/a/b:1"));
        });
        // Saving it again from the new store gives the same bytes: a save is reproducible.
        Path again = save(other, "busybox:latest", "localhost:5000/a/b:1");
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void loadsWhatSkopeoWritesAsADockerArchive() throws Exception {
        Path layout = dir.resolve("layout");
        new OciLayoutWriter(store.content()).write(layout, SaveSelection.resolve(store, List.of("busybox:latest")));
        Path archive = dir.resolve("skopeo.tar");
        Skopeo.copy("oci:" + layout + ":latest", "docker-archive:" + archive + ":example.com/skopeo/made:v1");

        ImageStore other = newStore("b");
        List<ArchivedImage> loaded;
        try (InputStream in = Files.newInputStream(archive)) {
            loaded = new ArchiveLoader(other).load(in);
        }
        assertThat(loaded).singleElement().satisfies(a -> {
            assertThat(a.image().id()).isEqualTo(busybox.id());
            assertThat(a.names()).containsExactly(ImageReference.parse("example.com/skopeo/made:v1"));
        });
        assertThat(other.resolve("example.com/skopeo/made:v1").diffIds()).isEqualTo(busybox.diffIds());
    }

    @Test
    void skopeoCopiesOurSaveOnward() throws Exception {
        Path file = save(store, "busybox:latest");
        Path out = dir.resolve("copied");
        Skopeo.copy("docker-archive:" + file, "oci:" + out + ":copied");
        ImageStore other = newStore("b");
        List<ArchivedImage> loaded = new OciLayoutReader(other).load(out, "copied", ImageReference.parseNormalizedNamed("c"));
        assertThat(loaded.getFirst().image().id()).isEqualTo(busybox.id());
    }

    @Test
    void loadsACompressedArchiveAndALegacyLayout() throws Exception {
        // docker < 25 wrote <id>/layer.tar per layer, <config hex>.json, and symlinks to share layer files.
        byte[] layer = TestImages.busyboxLayer();
        byte[] config = TestImages.builder().layer(layer).configBytes();
        String configName = Digest.sha256(config).encoded() + ".json";
        byte[] manifest = ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"legacy:1\"],\"Layers\":[\"v1b/layer.tar\"]}]")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(TestImagesGzip.wrap(tar))) {
            file(out, "v1a/layer.tar", layer);
            file(out, "v1a/VERSION", "1.0".getBytes());
            TarArchiveEntry link = new TarArchiveEntry("v1b/layer.tar", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../v1a/layer.tar");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            file(out, configName, config);
            file(out, "manifest.json", manifest);
        }
        ImageStore other = newStore("b");
        List<ArchivedImage> loaded = new ArchiveLoader(other).load(new ByteArrayInputStream(tar.toByteArray()));
        assertThat(loaded.getFirst().image().diffIds()).containsExactly(Digest.sha256(layer));
        assertThat(other.resolve("legacy:1").id()).isEqualTo(Digest.sha256(config));
    }

    @Test
    void badArchivesFailAndLeaveNoImage() throws Exception {
        byte[] layer = TestImages.busyboxLayer();
        byte[] config = TestImages.builder().layer(layer).configBytes();
        byte[] wrongLayer = TestImages.tar(Map.of("etc/other", "x"));
        ImageStore other = newStore("b");

        // A layer whose content is not the config's DiffID.
        byte[] mismatched = archive(Map.of("c.json", config, "l.tar", wrongLayer,
                "manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"l.tar\"]}]".getBytes()));
        assertThatThrownBy(() -> new ArchiveLoader(other).load(new ByteArrayInputStream(mismatched)))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("has DiffID " + Digest.sha256(wrongLayer))
                .hasMessageContaining("config lists " + Digest.sha256(layer));

        // A blob that does not match its name.
        byte[] lying = archive(Map.of("blobs/sha256/" + Digest.sha256(layer).encoded(), wrongLayer, "manifest.json", "[]".getBytes()));
        assertThatThrownBy(() -> new ArchiveLoader(other).load(new ByteArrayInputStream(lying)))
                .isInstanceOf(DigestMismatchException.class);

        // A path out of the archive, a missing file, malformed JSON, and no manifest at all.
        byte[] escaping = archive(Map.of("../evil", "x".getBytes(), "manifest.json", "[]".getBytes()));
        assertThatThrownBy(() -> new ArchiveLoader(other).load(new ByteArrayInputStream(escaping)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("points outside the archive");
        byte[] missing = archive(Map.of("manifest.json", "[{\"Config\":\"c.json\",\"Layers\":[]}]".getBytes()));
        assertThatThrownBy(() -> new ArchiveLoader(other).load(new ByteArrayInputStream(missing)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("no file \"c.json\"");
        byte[] malformed = archive(Map.of("manifest.json", "{oops".getBytes()));
        assertThatThrownBy(() -> new ArchiveLoader(other).load(new ByteArrayInputStream(malformed)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("malformed manifest.json");
        byte[] empty = archive(Map.of("hello.txt", "hi".getBytes()));
        assertThatThrownBy(() -> new ArchiveLoader(other).load(new ByteArrayInputStream(empty)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("not an image archive");

        assertThat(other.list()).isEmpty();
        assertThat(other.references()).isEmpty();
    }

    private static byte[] archive(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                file(out, f.getKey(), f.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream out, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        e.setMode(0100644);
        out.putArchiveEntry(e);
        out.write(data);
        out.closeArchiveEntry();
    }

    /** The archive gzip-compressed, as {@code docker save | gzip} makes it. */
    private static final class TestImagesGzip {
        static java.io.OutputStream wrap(java.io.OutputStream out) throws IOException {
            return new java.util.zip.GZIPOutputStream(out);
        }
    }

    @Test
    void compressionOfStoredLayersDoesNotChangeTheArchive() throws Exception {
        ImageStore zstd = newStore("z");
        Image image = TestImages.builder().busybox().file("etc/motd", "hello\n").compression(Compression.ZSTD).put(zstd);
        zstd.tag(ImageReference.parse("busybox"), image.id());
        assertThat(image.id()).isEqualTo(busybox.id());
        assertThat(Files.readAllBytes(save(zstd, "busybox"))).isEqualTo(Files.readAllBytes(save(store, "busybox:latest")));
    }
}
