package dev.berth.image;

import dev.berth.oci.image.Compression;
import dev.berth.oci.image.ChainIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageIndex;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageStoreTest {
    @TempDir
    Path dir;

    private ContentStore content;
    private ImageStore store;

    @BeforeEach
    void open() throws IOException {
        content = new ContentStore(dir.resolve("content"));
        store = new ImageStore(dir.resolve("images"), content);
    }

    private ImageStore reopen() throws IOException {
        return new ImageStore(dir.resolve("images"), new ContentStore(dir.resolve("content")));
    }

    private static ImageReference ref(String text) {
        return ImageReference.parse(text);
    }

    @Test
    void putRecordsTheLayerChainConfigAndManifest() throws IOException {
        TestImages b = TestImages.builder().busybox().file("etc/motd", "hi\n").label("org.example", "yes");
        byte[] config = b.configBytes();
        Image image = b.put(store);

        assertThat(image.id()).isEqualTo(Digest.sha256(config));
        assertThat(image.shortId()).hasSize(12).isEqualTo(image.id().encoded().substring(0, 12));
        assertThat(image.diffIds()).containsExactly(Digest.sha256(TestImages.busyboxLayer()),
                Digest.sha256(TestImages.tar(java.util.Map.of("etc/motd", "hi\n"))));
        assertThat(image.chainIds()).hasSize(2);
        assertThat(image.chainIds().get(0)).isEqualTo(image.diffIds().get(0));
        assertThat(image.chainIds().get(1)).isEqualTo(ChainIds.next(image.diffIds().get(0), image.diffIds().get(1)));
        assertThat(image.topChainId()).contains(image.chainIds().get(1));
        assertThat(image.layers()).hasSize(2).allMatch(l -> l.mediaType().equals(MediaTypes.OCI_LAYER_GZIP));
        assertThat(image.labels()).containsEntry("org.example", "yes");
        assertThat(image.history()).hasSize(2);
        assertThat(image.created()).contains(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(image.platform().toString()).isEqualTo("linux/amd64");
        assertThat(image.config().config().cmd()).containsExactly("sh");
        assertThat(image.dangling()).isTrue();
        // The config and the manifest are now blobs too.
        assertThat(content.has(image.id())).isTrue();
        assertThat(content.has(image.manifestDigests().getFirst())).isTrue();
        assertThat(store.list()).extracting(Image::id).containsExactly(image.id());
    }

    @Test
    void theSameConfigWithAnotherManifestIsTheSameImage() throws IOException {
        Image gz = TestImages.builder().busybox().put(store);
        Image plain = TestImages.builder().busybox().compression(Compression.NONE).put(store);
        Image zstd = TestImages.builder().busybox().compression(Compression.ZSTD).put(store);
        assertThat(plain.id()).isEqualTo(gz.id()).isEqualTo(zstd.id());
        assertThat(zstd.manifests()).hasSize(3);
        assertThat(zstd.layers()).isEqualTo(gz.layers()); // the first manifest stays primary
        assertThat(store.list()).hasSize(1);
        // Putting a known manifest again changes nothing.
        assertThat(TestImages.builder().busybox().put(store).manifests()).hasSize(3);
    }

    @Test
    void putRefusesWhatIsNotAnImage() throws IOException {
        byte[] layer = TestImages.busyboxLayer();
        Digest layerDigest = content.put(layer);
        byte[] config = TestImages.builder().layer(layer).configBytes();
        List<Descriptor> layers = List.of(Descriptor.of(MediaTypes.OCI_LAYER, layerDigest, layer.length));
        byte[] manifest = TestImages.manifest(config, layers);

        assertThatThrownBy(() -> store.put(manifest, "{\"rootfs\":{}}".getBytes(), null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("manifest names config");
        assertThatThrownBy(() -> store.put("{not json".getBytes(), config, null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("malformed manifest");
        assertThatThrownBy(() -> store.put(TestImages.manifest(config, List.of()), config, null))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("manifest lists 0 layers but the config's rootfs.diff_ids has 1");
        assertThatThrownBy(() -> store.put(TestImages.manifest(config,
                        List.of(Descriptor.of("application/x-nope", layerDigest, layer.length))), config, null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("unknown media type \"application/x-nope\"");
        byte[] index = TestImages.json(new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(), null, null));
        assertThatThrownBy(() -> store.put(index, config, null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("got an index");
        Digest missing = Digest.sha256("nothing".getBytes());
        assertThatThrownBy(() -> store.put(TestImages.manifest(config,
                        List.of(Descriptor.of(MediaTypes.OCI_LAYER, missing, 7))), config, null))
                .isInstanceOf(BlobNotFoundException.class).hasMessageContaining(missing.toString());
        byte[] noRootfs = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes();
        assertThatThrownBy(() -> store.put(TestImages.manifest(noRootfs, List.of()), noRootfs, null))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("no rootfs");
        assertThat(store.list()).isEmpty();
        // ... and the good one goes in.
        assertThat(store.put(manifest, config, Platform.parse("linux/amd64")).layers()).isEqualTo(layers);
    }

    @Test
    void resolvesLikeDocker() throws IOException {
        Image image = TestImages.builder().busybox().put(store);
        store.tag(ref("busybox"), image.id());
        store.tag(ref("localhost:5000/a/b:1"), image.id());
        Digest manifest = image.manifestDigests().getFirst();
        store.addRepoDigest(ImageReference.parseNormalizedNamed("busybox@" + manifest), image.id());

        String hex = image.id().encoded();
        for (String s : List.of("busybox", "busybox:latest", "docker.io/library/busybox", "index.docker.io/busybox:latest",
                "localhost:5000/a/b:1", "busybox@" + manifest, "busybox:whatever@" + manifest,
                image.id().toString(), hex, hex.substring(0, 12), "sha256:" + hex.substring(0, 12), hex.substring(0, 4))) {
            assertThat(store.resolve(s).id()).as(s).isEqualTo(image.id());
        }
        Image found = store.resolve("busybox");
        assertThat(found.repoTags()).containsExactly(ref("busybox:latest"), ref("localhost:5000/a/b:1"));
        assertThat(found.repoDigests()).containsExactly(ImageReference.parseNormalizedNamed("busybox@" + manifest));
        assertThat(found.dangling()).isFalse();

        assertThatThrownBy(() -> store.resolve("nope")).isInstanceOf(ImageNotFoundException.class)
                .hasMessage("No such image: nope:latest");
        assertThatThrownBy(() -> store.resolve("localhost:5000/a/b")).hasMessage("No such image: localhost:5000/a/b:latest");
        assertThatThrownBy(() -> store.resolve("sha256:" + "0".repeat(64)))
                .hasMessage("No such image: sha256:" + "0".repeat(64));
        assertThatThrownBy(() -> store.resolve("0".repeat(64))).hasMessage("No such image: sha256:" + "0".repeat(64));
        // A full ID is looked up as an ID only, never as a prefix or a name.
        assertThatThrownBy(() -> store.resolve("Busybox")).isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("must be lowercase");
        assertThat(store.find("busybox:2")).isEmpty();
    }

    @Test
    void tagMovesAndRefusesDigests() throws IOException {
        Image one = TestImages.builder().busybox().put(store);
        Image two = TestImages.builder().busybox().file("x", "2").put(store);
        assertThat(store.tag(ref("app:1"), one.id())).isEmpty();
        assertThat(store.tag(ref("app:1"), one.id())).isEmpty();
        assertThat(store.tag(ref("app:1"), two.id())).contains(one.id());
        assertThat(store.resolve("app:1").id()).isEqualTo(two.id());
        assertThatThrownBy(() -> store.tag(ImageReference.parseNormalizedNamed("app@" + one.id()), one.id()))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("refusing to create a tag with a digest");
        assertThatThrownBy(() -> store.tag(ref("app:2"), Digest.sha256("x".getBytes())))
                .isInstanceOf(ImageNotFoundException.class);
        assertThat(store.untag(ref("app:1"))).isEqualTo(two.id());
        assertThatThrownBy(() -> store.untag(ref("app:1"))).isInstanceOf(ImageNotFoundException.class)
                .hasMessage("No such image: app:1");
    }

    @Test
    void everythingSurvivesARestart() throws IOException {
        Image image = TestImages.builder().busybox().label("k", "v").put(store);
        TestImages.builder().busybox().label("k", "v").compression(Compression.NONE).put(store);
        store.tag(ref("busybox:1"), image.id());
        Image other = TestImages.builder().file("a", "b").created("2020-01-01T00:00:00Z").put(store);

        ImageStore again = reopen();
        Image restored = again.resolve("busybox:1");
        Image before = store.resolve("busybox:1");
        assertThat(restored).isEqualTo(before);
        assertThat(restored.manifests()).hasSize(2);
        assertThat(restored.labels()).containsEntry("k", "v");
        assertThat(again.list()).extracting(Image::id).containsExactly(image.id(), other.id()); // newest first
        assertThat(again.references()).containsExactly(ref("busybox:1"));
    }

    @Test
    void aDamagedRecordOrADanglingNameDoesNotStopTheStore() throws IOException {
        Image good = TestImages.builder().busybox().put(store);
        Image bad = TestImages.builder().file("a", "b").put(store);
        store.tag(ref("good"), good.id());
        store.tag(ref("bad"), bad.id());
        Path images = dir.resolve("images/images/sha256");
        Files.writeString(images.resolve(bad.id().encoded() + ".json"), "{ torn", StandardCharsets.UTF_8);
        Files.writeString(images.resolve(".x.json.1234.tmp"), "half", StandardCharsets.UTF_8);

        ImageStore again = reopen();
        assertThat(again.list()).extracting(Image::id).containsExactly(good.id());
        assertThat(again.references()).containsExactly(ref("good:latest"));
        assertThat(images.resolve(".x.json.1234.tmp")).doesNotExist();
    }

    @Test
    void removeByNameUntagsUntilTheLastName() throws IOException {
        Image image = TestImages.builder().busybox().put(store);
        store.tag(ref("a:1"), image.id());
        store.tag(ref("b:1"), image.id());

        RemoveResult first = store.remove("a:1", false);
        assertThat(first.untagged()).containsExactly("a:1");
        assertThat(first.deleted()).isEmpty();
        assertThat(store.get(image.id())).isPresent();

        RemoveResult last = store.remove("b:1", false);
        assertThat(last.untagged()).containsExactly("b:1");
        assertThat(last.deleted()).contains(image.id());
        assertThat(last.unreferencedBlobs()).contains(image.id(), image.manifestDigests().getFirst(),
                image.layers().getFirst().parsedDigest());
        assertThat(last.unreferencedChainIds()).containsExactlyElementsOf(image.chainIds());
        assertThat(store.list()).isEmpty();
        assertThat(reopen().list()).isEmpty();
    }

    @Test
    void removeByIdOfAnImageInTwoRepositoriesNeedsForce() throws IOException {
        Image image = TestImages.builder().busybox().put(store);
        store.tag(ref("a:1"), image.id());
        store.tag(ref("b:1"), image.id());
        assertThatThrownBy(() -> store.remove(image.id(), false)).isInstanceOf(ImageConflictException.class)
                .hasMessage("conflict: unable to delete " + image.shortId()
                        + " (must be forced) - image is referenced in multiple repositories");
        assertThat(store.resolve("a:1").id()).isEqualTo(image.id());

        RemoveResult forced = store.remove(image.shortId(), true);
        assertThat(forced.untagged()).containsExactly("a:1", "b:1");
        assertThat(forced.deleted()).contains(image.id());
        assertThat(store.references()).isEmpty();
    }

    @Test
    void removeByIdWithTagsOfOneRepositoryUntagsThemAll() throws IOException {
        Image image = TestImages.builder().busybox().put(store);
        store.tag(ref("a:1"), image.id());
        store.tag(ref("a:2"), image.id());
        RemoveResult r = store.remove(image.id().toString(), false);
        assertThat(r.untagged()).containsExactly("a:1", "a:2");
        assertThat(r.deleted()).contains(image.id());
    }

    @Test
    void untaggingTheLastTagOfARepositoryDropsItsDigests() throws IOException {
        Image image = TestImages.builder().busybox().put(store);
        store.tag(ref("a:1"), image.id());
        store.tag(ref("b:1"), image.id());
        ImageReference digestRef = ImageReference.parseNormalizedNamed("a@" + image.manifestDigests().getFirst());
        store.addRepoDigest(digestRef, image.id());

        RemoveResult r = store.remove("a:1", false);
        assertThat(r.untagged()).containsExactly("a:1", digestRef.familiar());
        assertThat(r.deleted()).isEmpty();
        assertThat(store.resolve("b:1").repoDigests()).isEmpty();
    }

    @Test
    void sharedLayersStayReferenced() throws IOException {
        Image base = TestImages.builder().busybox().put(store);
        Image derived = TestImages.builder().busybox().file("etc/app", "app").put(store);
        Digest sharedLayer = base.layers().getFirst().parsedDigest();
        Digest ownLayer = derived.layers().get(1).parsedDigest();
        assertThat(derived.layers().getFirst().parsedDigest()).isEqualTo(sharedLayer);

        RemoveResult r = store.remove(derived.id(), false);
        assertThat(r.unreferencedBlobs()).containsExactlyInAnyOrder(derived.id(), derived.manifestDigests().getFirst(), ownLayer);
        assertThat(r.unreferencedChainIds()).containsExactly(derived.chainIds().get(1));
        assertThat(store.referencedChainIds()).containsExactly(base.chainIds().getFirst());

        Digest stray = content.put("left by a failed pull".getBytes());
        PruneResult kept = store.prune(Duration.ofHours(1));
        assertThat(kept.deleted()).isEmpty(); // everything is fresh: a pull might be about to use it
        PruneResult pruned = store.prune(Duration.ZERO);
        assertThat(pruned.deleted()).containsExactlyInAnyOrder(derived.id(), derived.manifestDigests().getFirst(), ownLayer, stray);
        assertThat(pruned.bytesFreed()).isPositive();
        assertThat(content.list()).isEqualTo(store.referencedBlobs());
        assertThat(content.has(sharedLayer)).isTrue();
        assertThat(store.resolve(base.id().toString()).layers()).hasSize(1);
        // the survivor still opens after the prune
        assertThat(reopen().get(base.id())).isPresent();
    }

    @Test
    void anIndexItWasChosenFromStaysReferenced() throws IOException {
        TestImages b = TestImages.builder().busybox();
        Image image = b.put(store);
        Descriptor m = image.manifests().getFirst().descriptor();
        Digest index = content.put(TestImages.json(new ImageIndex(2, MediaTypes.OCI_INDEX, null, List.of(m), null, null)));
        byte[] manifestBytes = content.read(m.parsedDigest());
        store.remove(image.id(), true);
        Image again = store.put(manifestBytes, b.configBytes(), Platform.parse("linux/amd64"), index);
        assertThat(again.manifests().getFirst().indexDigest()).contains(index);
        assertThat(store.referencedBlobs()).contains(index);
        assertThat(reopen().get(again.id()).orElseThrow().manifests().getFirst().indexDigest()).contains(index);
        assertThat(Set.copyOf(store.prune(Duration.ZERO).deleted())).doesNotContain(index);
    }
}
