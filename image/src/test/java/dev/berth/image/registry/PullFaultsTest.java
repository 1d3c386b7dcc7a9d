package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.ContentStore;
import dev.berth.image.DigestMismatchException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.Platform;
import dev.berth.testkit.RegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls that go wrong: bad bytes, 5xx answers, cut connections, redirects to storage, and a
 * registry that dies mid-pull. Each must fail clearly or recover, and never leave a partial blob.
 */
@Timeout(120)
class PullFaultsTest {
    private static final Platform AMD64 = Platform.parse("linux/amd64");

    @TempDir
    Path dir;

    private RegistryServer registry;
    private FaultProxy proxy;
    private RegistryClient client;
    private ContentStore source;
    private ContentStore target;
    private RegistryTestImages.TestImage image;
    private Repository repo;

    @BeforeEach
    void start() throws Exception {
        RegistryServer.assumeAvailable();
        registry = RegistryServer.start(dir.resolve("registry"));
        proxy = new FaultProxy(registry.url());
        client = RegistryClient.builder().retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50))).build();
        source = new ContentStore(dir.resolve("source"));
        target = new ContentStore(dir.resolve("target"));
        image = RegistryTestImages.busybox(source, AMD64);
        repo = new Repository(proxy.host(), "test/faults");
        new ImagePusher(client, source).push(repo, "latest", image.manifestBytes(), image.mediaType(), ProgressListener.none());
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

    private Digest layer() {
        return image.layers().get(0).parsedDigest();
    }

    private static List<Path> ingest(ContentStore store) {
        try (Stream<Path> s = Files.list(store.root().resolve("ingest"))) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long blobGets(Digest d) {
        return proxy.seen().stream().filter(s -> s.method().equals("GET") && s.path().endsWith("/blobs/" + d)).count();
    }

    @Test
    void corruptBlobIsRejectedAndNotKept() throws Exception {
        proxy.corrupt(FaultProxy.path("GET", "/blobs/" + layer()), 1);

        assertThatThrownBy(() -> new ImagePuller(client, target).pull(repo, "latest", ProgressListener.none()))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining("digest mismatch: expected " + layer());

        assertThat(blobGets(layer())).as("bad content is not retried").isEqualTo(1);
        assertThat(target.has(layer())).isFalse();
        assertThat(ingest(target)).isEmpty();

        PulledImage retried = new ImagePuller(client, target).pull(repo, "latest", ProgressListener.none());
        assertThat(retried.digest()).isEqualTo(image.digest());
        assertThat(target.read(layer())).isEqualTo(RegistryTestImages.busyboxLayer().blob());
    }

    @Test
    void corruptManifestIsRejectedWhenPulledByDigest() {
        proxy.corrupt(FaultProxy.path("GET", "/manifests/" + image.digest()), 1);

        assertThatThrownBy(() -> new ImagePuller(client, target).pull(repo, image.digest().toString(), ProgressListener.none()))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("does not match its digest: expected " + image.digest());
        assertThat(target.has(image.digest())).isFalse();
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        proxy.failWith(FaultProxy.path("GET", "/manifests/latest"), 503, 2);
        proxy.failWith(FaultProxy.path("GET", "/blobs/" + layer()), 502, 2);
        ProgressRecorder progress = new ProgressRecorder();

        PulledImage pulled = new ImagePuller(client, target).pull(repo, "latest", progress);

        assertThat(pulled.digest()).isEqualTo(image.digest());
        assertThat(proxy.seen()).filteredOn(s -> s.method().equals("GET") && s.path().endsWith("/manifests/latest")).hasSize(3);
        assertThat(blobGets(layer())).isEqualTo(3);
        assertThat(progress.phases(layer())).contains(LayerProgress.Phase.RETRYING).endsWith(LayerProgress.Phase.DOWNLOADED);
    }

    @Test
    void persistentServerErrorsFailClearlyAfterTheLastTry() {
        proxy.failWith(FaultProxy.path("GET", "/blobs/" + layer()), 500, 100);

        assertThatThrownBy(() -> new ImagePuller(client, target).pull(repo, "latest", ProgressListener.none()))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessage("GET blob " + layer() + " from " + repo.familiarName()
                        + ": 500 Internal Server Error: unavailable: injected failure (gave up after 3 attempts)");
        assertThat(blobGets(layer())).isEqualTo(3);
        assertThat(target.has(layer())).isFalse();
        assertThat(ingest(target)).isEmpty();
    }

    @Test
    void notFoundIsNotRetried() {
        assertThatThrownBy(() -> new ImagePuller(client, target).pull(repo, "missing", ProgressListener.none()))
                .isInstanceOf(RegistryNotFoundException.class);
        assertThat(proxy.seen()).filteredOn(s -> s.path().endsWith("/manifests/missing")).hasSize(1);
    }

    @Test
    void bodyCutShortIsRetriedFromScratch() throws Exception {
        proxy.cutAfter(FaultProxy.path("GET", "/blobs/" + layer()), 100_000, 1);
        ProgressRecorder progress = new ProgressRecorder();

        new ImagePuller(client, target).pull(repo, "latest", progress);

        assertThat(blobGets(layer())).isEqualTo(2);
        assertThat(target.read(layer())).isEqualTo(RegistryTestImages.busyboxLayer().blob());
        assertThat(progress.phases(layer())).containsSubsequence(LayerProgress.Phase.DOWNLOADING, LayerProgress.Phase.RETRYING,
                LayerProgress.Phase.DOWNLOADED);
        assertThat(ingest(target)).isEmpty();
    }

    @Test
    void stalledBodyTimesOutAndIsRetried() throws Exception {
        proxy.stallAfter(FaultProxy.path("GET", "/blobs/" + layer()), 50_000, 1);
        try (RegistryClient impatient = RegistryClient.builder().readTimeout(Duration.ofMillis(500))
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50))).build()) {
            ProgressRecorder progress = new ProgressRecorder();

            new ImagePuller(impatient, target).pull(repo, "latest", progress);

            assertThat(blobGets(layer())).isEqualTo(2);
            assertThat(progress.events()).anySatisfy(e -> assertThat(e.detail()).contains("no data received"));
            assertThat(target.read(layer())).isEqualTo(RegistryTestImages.busyboxLayer().blob());
        }
    }

    @Test
    void blobRedirectsAreFollowedWithoutOurCredentials() throws Exception {
        Credentials creds = new Credentials("berth", "s3cret");
        try (FaultProxy storage = new FaultProxy(registry.url(), "localhost");
             FaultProxy front = new FaultProxy(registry.url()).requireBasic(creds)
                     .redirect(FaultProxy.path("GET", "/blobs/"), storage.url(), 100);
             RegistryClient authed = RegistryClient.builder().credentials(CredentialStore.of(front.host(), creds)).build()) {
            Repository behind = new Repository(front.host(), "test/faults");

            PulledImage pulled = new ImagePuller(authed, target).pull(behind, "latest", ProgressListener.none());

            assertThat(pulled.digest()).isEqualTo(image.digest());
            assertThat(front.seen()).filteredOn(s -> s.path().contains("/manifests/"))
                    .allSatisfy(s -> assertThat(s.authorization()).isEqualTo(creds.basicAuthorization()));
            assertThat(storage.seen()).extracting(FaultProxy.Seen::path)
                    .contains("/v2/test/faults/blobs/" + layer(), "/v2/test/faults/blobs/" + image.config().digest());
            assertThat(storage.seen()).allSatisfy(s -> assertThat(s.authorization()).isNull());
        }
    }

    @Test
    void registryDyingMidPullLeavesNothingAndAPullAfterItsReturnWorks() throws Exception {
        // A layer big enough to be mid-flight when the registry is killed (more than socket buffers hold).
        RegistryTestImages.TestImage big = RegistryTestImages.image(source, AMD64,
                List.of(RegistryTestImages.randomLayer("big.bin", 48 << 20, 7)), "big");
        Repository direct = new Repository(registry.host(), "test/big");
        new ImagePusher(client, source).push(direct, "latest", big.manifestBytes(), big.mediaType(), ProgressListener.none());
        Digest bigLayer = big.layers().get(0).parsedDigest();

        AtomicBoolean killed = new AtomicBoolean();
        ProgressListener killer = p -> {
            if (p.phase() == LayerProgress.Phase.DOWNLOADING && p.done() > 0 && killed.compareAndSet(false, true)) {
                try {
                    registry.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        assertThatThrownBy(() -> new ImagePuller(client, target).pull(direct, "latest", AMD64, killer))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("GET blob " + bigLayer)
                .hasMessageContaining("gave up after 3 attempts");
        assertThat(killed).isTrue();
        assertThat(target.has(bigLayer)).isFalse();
        assertThat(ingest(target)).isEmpty();

        registry.restart();
        PulledImage pulled = new ImagePuller(client, target).pull(direct, "latest", AMD64, ProgressListener.none());
        assertThat(pulled.digest()).isEqualTo(big.digest());
        assertThat(target.size(bigLayer)).isEqualTo(big.layers().get(0).size());
    }
}
