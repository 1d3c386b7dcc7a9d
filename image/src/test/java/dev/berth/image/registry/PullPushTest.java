package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.MediaTypes;
import dev.berth.oci.image.Platform;
import dev.berth.testkit.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Push then pull round trips of busybox images built on the spot, against the real registry. */
@Timeout(120)
class PullPushTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");
    private static final Platform ARM64 = Platform.parse("linux/arm64/v8");

    @TempDir
    Path dir;

    private RegistryServer registry;
    private FaultProxy proxy;
    private RegistryClient client;
    private ContentStore source;

    @BeforeEach
    void start() throws Exception {
        RegistryServer.assumeAvailable();
        registry = RegistryServer.start(dir.resolve("registry"));
        proxy = new FaultProxy(registry.url());
        client = RegistryClient.builder().retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50))).build();
        source = new ContentStore(dir.resolve("source"));
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private Repository repo(String name) {
        return new Repository(proxy.host(), name);
    }

    private ContentStore fresh(String name) throws Exception {
        return new ContentStore(dir.resolve(name));
    }

    @Test
    void pushThenPullByTagAndByDigest() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(source, AMD64);
        Repository repo = repo("test/busybox");
        ProgressRecorder pushProgress = new ProgressRecorder();

        Digest pushed = new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(), pushProgress);

        assertThat(pushed).isEqualTo(image.digest());
        Digest layer = image.layers().get(0).parsedDigest();
        assertThat(pushProgress.phases(layer)).startsWith(LayerProgress.Phase.WAITING).contains(LayerProgress.Phase.PUSHING)
                .endsWith(LayerProgress.Phase.PUSHED);

        ContentStore byTag = fresh("by-tag");
        ProgressRecorder pullProgress = new ProgressRecorder();
        PulledImage pulled = new ImagePuller(client, byTag).pull(repo, "latest", AMD64, pullProgress);

        assertThat(pulled.digest()).isEqualTo(image.digest());
        assertThat(pulled.manifestDigest()).isEqualTo(image.digest());
        assertThat(pulled.manifestMediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(pulled.manifestBytes()).isEqualTo(image.manifestBytes());
        assertThat(pulled.config()).isEqualTo(image.config());
        assertThat(pulled.configBytes()).isEqualTo(source.read(image.config().parsedDigest()));
        assertThat(pulled.layers()).isEqualTo(image.layers());
        assertThat(byTag.read(layer)).isEqualTo(RegistryTestImages.busyboxLayer().blob());
        assertThat(byTag.has(image.digest())).as("the manifest is kept too").isTrue();
        assertThat(pullProgress.phases(layer)).containsSubsequence(LayerProgress.Phase.WAITING, LayerProgress.Phase.DOWNLOADING,
                LayerProgress.Phase.VERIFYING, LayerProgress.Phase.DOWNLOADED);
        LayerProgress lastDownloading = pullProgress.events().stream()
                .filter(e -> e.phase() == LayerProgress.Phase.DOWNLOADING).reduce((a, b) -> b).orElseThrow();
        assertThat(lastDownloading.done()).isEqualTo(lastDownloading.total()).isEqualTo(image.layers().get(0).size());

        ContentStore byDigest = fresh("by-digest");
        PulledImage again = new ImagePuller(client, byDigest).pull(repo, image.digest().toString(), ProgressListener.none());
        assertThat(again.manifestBytes()).isEqualTo(image.manifestBytes());
        assertThat(byDigest.list()).containsExactlyInAnyOrderElementsOf(byTag.list());
    }

    @Test
    void imageReferencesNameWhatToPushAndPull() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(source, AMD64);
        ImageReference tagged = ImageReference.parse(proxy.host() + "/test/ref:v1");

        Digest pushed = new ImagePusher(client, source).push(tagged, image.manifestBytes(), image.mediaType(), Map.of(),
                ProgressListener.none());

        assertThat(client.listTags(Repository.of(tagged))).containsExactly("v1");
        PulledImage byTag = new ImagePuller(client, fresh("tag")).pull(tagged, AMD64, ProgressListener.none());
        assertThat(byTag.digest()).isEqualTo(pushed);
        ImageReference pinned = ImageReference.parse(proxy.host() + "/test/ref:ignored@" + pushed);
        PulledImage byDigest = new ImagePuller(client, fresh("digest")).pull(pinned, AMD64, ProgressListener.none());
        assertThat(byDigest.reference()).isEqualTo(pushed.toString());
        assertThat(byDigest.manifestBytes()).isEqualTo(image.manifestBytes());
    }

    @Test
    void secondPullSkipsBlobsTheStoreHas() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(source, AMD64);
        Repository repo = repo("test/skip");
        new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(), ProgressListener.none());
        ContentStore target = fresh("target");
        new ImagePuller(client, target).pull(repo, "latest", AMD64, ProgressListener.none());
        int before = proxy.seen().size();

        ProgressRecorder progress = new ProgressRecorder();
        new ImagePuller(client, target).pull(repo, "latest", AMD64, progress);

        assertThat(progress.phases(image.layers().get(0).parsedDigest())).containsExactly(LayerProgress.Phase.ALREADY_EXISTS);
        assertThat(proxy.seen().subList(before, proxy.seen().size()))
                .noneMatch(s -> s.path().contains("/blobs/"));
    }

    @Test
    void secondPushFindsLayersAlreadyThere() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(source, AMD64);
        Repository repo = repo("test/again");
        ImagePusher pusher = new ImagePusher(client, source);
        pusher.push(repo, "one", image.manifestBytes(), image.mediaType(), ProgressListener.none());
        int before = proxy.seen().size();

        ProgressRecorder progress = new ProgressRecorder();
        pusher.push(repo, "two", image.manifestBytes(), image.mediaType(), progress);

        assertThat(progress.last(image.layers().get(0).parsedDigest())).isEqualTo(LayerProgress.Phase.ALREADY_EXISTS);
        assertThat(progress.events().get(progress.events().size() - 1).dockerStatus(true)).isEqualTo("Layer already exists");
        assertThat(proxy.seen().subList(before, proxy.seen().size()))
                .extracting(FaultProxy.Seen::method).containsOnly("HEAD", "PUT");
        assertThat(client.listTags(repo)).containsExactlyInAnyOrder("one", "two");
    }

    @Test
    void pushMountsBlobsFromAnotherRepository() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(source, AMD64);
        ImagePusher pusher = new ImagePusher(client, source);
        pusher.push(repo("library/base"), "latest", image.manifestBytes(), image.mediaType(), ProgressListener.none());
        int before = proxy.seen().size();
        Map<Digest, Repository> hints = Map.of(
                image.layers().get(0).parsedDigest(), repo("library/base"),
                image.config().parsedDigest(), repo("library/base"));

        ProgressRecorder progress = new ProgressRecorder();
        Digest digest = pusher.push(repo("team/app"), "v1", image.manifestBytes(), image.mediaType(), hints, progress);

        assertThat(digest).isEqualTo(image.digest());
        LayerProgress last = progress.events().stream()
                .filter(e -> e.digest().equals(image.layers().get(0).parsedDigest())).reduce((a, b) -> b).orElseThrow();
        assertThat(last.phase()).isEqualTo(LayerProgress.Phase.MOUNTED);
        assertThat(last.dockerStatus(true)).isEqualTo("Mounted from library/base");
        List<FaultProxy.Seen> after = proxy.seen().subList(before, proxy.seen().size());
        assertThat(after).noneMatch(s -> s.method().equals("PATCH"));
        assertThat(after).filteredOn(s -> s.method().equals("PUT")).extracting(FaultProxy.Seen::path)
                .containsExactly("/v2/team/app/manifests/v1");
        assertThat(new ImagePuller(client, fresh("pulled")).pull(repo("team/app"), "v1", AMD64, ProgressListener.none())
                .manifestBytes()).isEqualTo(image.manifestBytes());
    }

    @Test
    void indexOfTwoPlatforms() throws Exception {
        RegistryTestImages.TestImage amd = RegistryTestImages.busybox(source, AMD64);
        RegistryTestImages.TestImage arm = RegistryTestImages.busybox(source, ARM64);
        RegistryTestImages.TestIndex index = RegistryTestImages.index(source, List.of(amd, arm));
        Repository repo = repo("test/multi");

        Digest pushed = new ImagePusher(client, source).push(repo, "latest", index.bytes(), index.mediaType(), ProgressListener.none());
        assertThat(pushed).isEqualTo(index.digest());

        PulledImage defaultPlatform = new ImagePuller(client, fresh("default")).pull(repo, "latest", ProgressListener.none());
        if (Platform.host().architecture().equals("amd64")) {
            assertThat(defaultPlatform.manifestDigest()).isEqualTo(amd.digest());
        }
        PulledImage x86 = new ImagePuller(client, fresh("amd64")).pull(repo, "latest", AMD64, ProgressListener.none());
        assertThat(x86.digest()).as("the repo digest is the index's").isEqualTo(index.digest());
        assertThat(x86.manifestDigest()).isEqualTo(amd.digest());
        assertThat(RegistryJson.mapper().readValue(x86.configBytes(), ImageConfig.class).architecture()).isEqualTo("amd64");

        ContentStore armStore = fresh("arm64");
        PulledImage aarch = new ImagePuller(client, armStore).pull(repo, "latest", Platform.parse("linux/arm64"), ProgressListener.none());
        assertThat(aarch.manifestDigest()).isEqualTo(arm.digest());
        assertThat(RegistryJson.mapper().readValue(aarch.configBytes(), ImageConfig.class).architecture()).isEqualTo("arm64");
        assertThat(armStore.has(index.digest())).as("the index is kept").isTrue();
        assertThat(armStore.has(amd.config().parsedDigest())).as("the other platform's config is not fetched").isFalse();

        assertThatThrownBy(() -> new ImagePuller(client, fresh("s390x")).pull(repo, "latest", Platform.parse("linux/s390x"),
                ProgressListener.none()))
                .isInstanceOf(NoMatchingPlatformException.class)
                .hasMessageContaining("no matching manifest for linux/s390x")
                .hasMessageContaining("available: linux/amd64, linux/arm64/v8");
    }

    @Test
    void unknownTagAndUnknownRepositorySayWhatDockerSays() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(source, AMD64);
        Repository repo = repo("test/known");
        new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(), ProgressListener.none());
        ImagePuller puller = new ImagePuller(client, fresh("target"));

        assertThatThrownBy(() -> puller.pull(repo, "nope", ProgressListener.none()))
                .isInstanceOf(RegistryNotFoundException.class)
                .hasMessage("manifest for " + proxy.host() + "/test/known:nope not found: manifest unknown: manifest unknown");
        // distribution answers MANIFEST_UNKNOWN for an unknown repository too, and docker then says the same.
        assertThatThrownBy(() -> puller.pull(repo("test/unknown"), "latest", ProgressListener.none()))
                .isInstanceOf(RegistryNotFoundException.class)
                .hasMessage("manifest for " + proxy.host() + "/test/unknown:latest not found: manifest unknown: manifest unknown");
        assertThat(proxy.seen()).filteredOn(s -> s.path().endsWith("/manifests/nope")).hasSize(1);
    }

    @Test
    void pulledImageCanBePushedOnByteForByte() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(source, AMD64);
        new ImagePusher(client, source).push(repo("test/first"), "latest", image.manifestBytes(), image.mediaType(), ProgressListener.none());
        ContentStore middle = fresh("middle");
        PulledImage pulled = new ImagePuller(client, middle).pull(repo("test/first"), "latest", ProgressListener.none());

        Digest again = new ImagePusher(client, middle).push(repo("test/second"), "copy", pulled.manifestBytes(),
                pulled.manifestMediaType(), ProgressListener.none());

        assertThat(again).isEqualTo(image.digest());
        Descriptor head = client.headManifest(repo("test/second"), "copy").orElseThrow();
        assertThat(head.digest()).isEqualTo(image.digest().toString());
    }
}
