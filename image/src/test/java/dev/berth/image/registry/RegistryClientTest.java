package dev.berth.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.MediaTypes;
import dev.berth.testkit.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each endpoint against the real registry (Debian's docker-registry), through a recording proxy. */
@Timeout(120)
class RegistryClientTest {
    @TempDir
    Path dir;

    private RegistryServer registry;
    private FaultProxy proxy;
    private RegistryClient client;
    private ContentStore store;

    @BeforeEach
    void start() throws Exception {
        RegistryServer.assumeAvailable();
        registry = RegistryServer.start(dir.resolve("registry"));
        proxy = new FaultProxy(registry.url());
        client = RegistryClient.builder().chunkSize(64 * 1024)
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50))).build();
        store = new ContentStore(dir.resolve("store"));
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

    @Test
    void pingSaysV2AndNoAuth() throws Exception {
        PingResult ping = client.ping(registry.host());
        assertThat(ping.status()).isEqualTo(200);
        assertThat(ping.apiVersion()).isEqualTo("registry/2.0");
        assertThat(ping.requiresAuth()).isFalse();
    }

    @Test
    void smallBlobGoesUpInOnePutAndComesBack() throws Exception {
        Digest d = store.put("hello, registry".getBytes());
        Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER, d, 15);
        Repository repo = repo("test/blobs");
        assertThat(client.headBlob(repo, d)).isEmpty();

        client.pushBlob(repo, blob, store);

        assertThat(client.headBlob(repo, d)).hasValue(15);
        assertThat(proxy.seen()).extracting(FaultProxy.Seen::method).doesNotContain("PATCH");
        assertThat(proxy.seen()).filteredOn(s -> s.method().equals("PUT")).hasSize(1);
        ContentStore other = new ContentStore(dir.resolve("other"));
        client.fetchBlob(repo, blob, other);
        assertThat(other.read(d)).isEqualTo("hello, registry".getBytes());
    }

    @Test
    void largeBlobGoesUpInChunks() throws Exception {
        RegistryTestImages.Layer layer = RegistryTestImages.randomLayer("big", 200 * 1024, 1);
        Digest d = store.put(layer.blob());
        Descriptor blob = Descriptor.of(layer.mediaType(), d, layer.blob().length);
        Repository repo = repo("test/chunks");

        client.pushBlob(repo, blob, store);

        long chunks = (layer.blob().length + 64 * 1024 - 1) / (64 * 1024);
        assertThat(proxy.seen()).filteredOn(s -> s.method().equals("PATCH")).hasSize((int) chunks);
        assertThat(client.headBlob(repo, d)).hasValue(layer.blob().length);
        ContentStore other = new ContentStore(dir.resolve("other"));
        client.fetchBlob(repo, blob, other);
        assertThat(other.read(d)).isEqualTo(layer.blob());
    }

    @Test
    void uploadThatFailsMidwayStartsOverAndSucceeds() throws Exception {
        RegistryTestImages.Layer layer = RegistryTestImages.randomLayer("big", 200 * 1024, 2);
        Digest d = store.put(layer.blob());
        proxy.failWith(FaultProxy.path("PATCH", "/blobs/uploads/"), 503, 1);

        client.pushBlob(repo("test/retry"), Descriptor.of(layer.mediaType(), d, layer.blob().length), store);

        assertThat(client.headBlob(repo("test/retry"), d)).hasValue(layer.blob().length);
        assertThat(proxy.seen()).filteredOn(s -> s.method().equals("POST")).hasSize(2);
    }

    @Test
    void crossRepositoryMountMovesNoBytes() throws Exception {
        Digest d = store.put("mount me".getBytes());
        Descriptor blob = Descriptor.of(MediaTypes.OCI_LAYER, d, 8);
        client.pushBlob(repo("test/source"), blob, store);

        MountResult mounted = client.mountBlob(repo("test/target"), d, "test/source");
        assertThat(mounted.mounted()).isTrue();
        assertThat(client.headBlob(repo("test/target"), d)).hasValue(8);

        Digest absent = Digest.sha256("not there".getBytes());
        MountResult declined = client.mountBlob(repo("test/target"), absent, "test/source");
        assertThat(declined.mounted()).isFalse();
        assertThat(declined.uploadLocation().toString()).contains("/v2/test/target/blobs/uploads/");
    }

    @Test
    void manifestPutHeadGetAndTags() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(store, dev.berth.oci.image.Platform.parse("linux/amd64"));
        Repository repo = repo("test/manifests");
        for (Descriptor b : image.layers()) {
            client.pushBlob(repo, b, store);
        }
        client.pushBlob(repo, image.config(), store);
        assertThat(client.headManifest(repo, "v1")).isEmpty();

        Digest pushed = client.putManifest(repo, "v1", image.manifestBytes(), image.mediaType());
        client.putManifest(repo, "v2", image.manifestBytes(), image.mediaType());

        assertThat(pushed).isEqualTo(image.digest());
        Descriptor head = client.headManifest(repo, "v1").orElseThrow();
        assertThat(head.digest()).isEqualTo(image.digest().toString());
        assertThat(head.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(head.size()).isEqualTo(image.manifestBytes().length);
        RemoteManifest got = client.getManifest(repo, image.digest().toString());
        assertThat(got.bytes()).isEqualTo(image.manifestBytes());
        assertThat(got.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(client.listTags(repo)).containsExactlyInAnyOrder("v1", "v2");
    }

    @Test
    void manifestReferencingMissingBlobsIsRefused() throws Exception {
        RegistryTestImages.TestImage image = RegistryTestImages.busybox(store, dev.berth.oci.image.Platform.parse("linux/amd64"));
        assertThatThrownBy(() -> client.putManifest(repo("test/incomplete"), "v1", image.manifestBytes(), image.mediaType()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("PUT manifest")
                .hasMessageContaining("blob unknown");
    }

    @Test
    void tagsOfUnknownRepository() {
        assertThatThrownBy(() -> client.listTags(repo("test/never")))
                .isInstanceOf(RegistryNotFoundException.class)
                .hasMessageContaining("test/never");
    }

    @Test
    void unreachableRegistryFailsClearlyAfterRetries() throws Exception {
        int port = RegistryServer.freePort();
        assertThatThrownBy(() -> client.ping("127.0.0.1:" + port))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessage("ping 127.0.0.1:" + port + ": connection refused (gave up after 3 attempts)");
    }
}
