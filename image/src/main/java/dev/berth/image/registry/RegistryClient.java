package dev.berth.image.registry;

import dev.berth.image.ContentStore;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A client of the OCI distribution API (distribution-spec spec.md) with docker's token
 * authentication. It holds what every request shares (the HTTP client, credentials, the
 * insecure-registry list, retries, cached tokens) and offers each endpoint as a method; the
 * jobs that string endpoints together are {@link ImagePuller} and {@link ImagePusher}.
 * Thread-safe: one client serves concurrent pulls and pushes.
 */
public final class RegistryClient implements AutoCloseable {
    /**
     * The size of the buffers HttpClient reads a socket into (jdk.internal.net.http.common.Utils,
     * read once, when HttpClient's internals are first loaded; 16 KiB by default). Blob bodies
     * arrive as a list of such buffers, one Flow signal and one read(2) each: with 256 KiB a
     * 150 MB pull took half the CPU and half the time (docs/PERFORMANCE.md, "Images"). Set
     * before the first HttpClient is built, unless the JVM was started with a value of its own.
     */
    static final String HTTP_BUFSIZE_PROPERTY = "jdk.httpclient.bufsize";
    static final int HTTP_BUFSIZE = 256 * 1024;

    static {
        if (System.getProperty(HTTP_BUFSIZE_PROPERTY) == null) {
            System.setProperty(HTTP_BUFSIZE_PROPERTY, Integer.toString(HTTP_BUFSIZE));
        }
    }

    private final HttpClient http;
    private final EndpointCaller caller;
    private final int chunkSize;
    private final int concurrency;

    private RegistryClient(Builder b) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER) // EndpointCaller follows them, minding Authorization
                .build();
        this.caller = new EndpointCaller(http, new TransportPolicy(b.insecureRegistries), b.retry, b.requestTimeout,
                b.readTimeout, b.userAgent, b.credentials);
        this.chunkSize = b.chunkSize;
        this.concurrency = b.concurrency;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Blobs up to this size are pushed in one PUT; larger ones in PATCH chunks of this size. */
    public int chunkSize() {
        return chunkSize;
    }

    /** How many blobs a pull or push moves at once. */
    public int concurrency() {
        return concurrency;
    }

    public RetryPolicy retryPolicy() {
        return caller.retryPolicy();
    }

    /** {@code GET /v2/}: checks the registry speaks the API and learns how it authenticates. */
    public PingResult ping(String registry) throws IOException {
        return caller.ping(registry);
    }

    /** The manifest or index a tag or digest names, its bytes verified against the digest when there is one. */
    public RemoteManifest getManifest(Repository repo, String reference) throws IOException {
        return caller.call(repo.registry(), new ManifestGet(repo, reference));
    }

    /** Media type, digest and size of a manifest, or empty if the registry has none under that reference. */
    public Optional<Descriptor> headManifest(Repository repo, String reference) throws IOException {
        return caller.call(repo.registry(), new ManifestHead(repo, reference));
    }

    /** Stores a manifest under a tag or its digest; returns its digest. */
    public Digest putManifest(Repository repo, String reference, byte[] bytes, String mediaType) throws IOException {
        return caller.call(repo.registry(), new ManifestPut(repo, reference, bytes, mediaType));
    }

    /** The blob's size if the repository has it. */
    public OptionalLong headBlob(Repository repo, Digest digest) throws IOException {
        return headBlob(repo, digest, Scope.pull(repo));
    }

    /** Downloads a blob into the store, verified; does nothing if the store has it. */
    public void fetchBlob(Repository repo, Descriptor blob, ContentStore store) throws IOException {
        if (!store.has(blob.parsedDigest())) {
            fetchBlob(repo, blob, store, LayerReporter.silent(blob.parsedDigest(), blob.size()));
        }
    }

    /** Asks the registry to link a blob of {@code fromRepository} (same registry) into {@code repo}. */
    public MountResult mountBlob(Repository repo, Digest digest, String fromRepository) throws IOException {
        return caller.call(repo.registry(), new BlobMount(repo, digest, fromRepository));
    }

    /** Uploads a stored blob unless the repository has it (monolithic or chunked by {@link #chunkSize()}). */
    public void pushBlob(Repository repo, Descriptor blob, ContentStore store) throws IOException {
        new BlobPusher(this, store).push(repo, blob, null, LayerReporter.silent(blob.parsedDigest(), blob.size()));
    }

    /** Checks the credentials this client holds for {@code registry} ({@code docker login}); RegistryAuthException if refused. */
    public void login(String registry) throws IOException {
        caller.call(registry, new Login(registry));
    }

    /** Every tag of the repository, following the pagination links. */
    public List<String> listTags(Repository repo) throws IOException {
        List<String> all = new ArrayList<>();
        URI page = null;
        for (int pages = 0; pages < 10_000; pages++) {
            TagsList.Page p = caller.call(repo.registry(), new TagsList(repo, page));
            all.addAll(p.tags());
            if (p.next() == null) {
                return all;
            }
            page = p.next();
        }
        throw new RegistryException("list tags of " + repo.familiarName() + ": too many pages");
    }

    @Override
    public void close() {
        http.close();
    }

    // The steps the jobs use, with progress and scopes of their own.

    OptionalLong headBlob(Repository repo, Digest digest, Scope scope) throws IOException {
        return caller.call(repo.registry(), new BlobHead(repo, digest, scope));
    }

    void fetchBlob(Repository repo, Descriptor blob, ContentStore store, LayerReporter progress) throws IOException {
        caller.call(repo.registry(), new BlobGet(repo, blob, store, progress));
    }

    URI startUpload(Repository repo) throws IOException {
        return caller.call(repo.registry(), new BlobUploadStart(repo));
    }

    URI uploadChunk(Repository repo, URI location, BlobSlice chunk) throws IOException {
        return caller.call(repo.registry(), new BlobUploadChunk(repo, location, chunk));
    }

    void finishUpload(Repository repo, URI location, Digest digest, BlobSlice body) throws IOException {
        caller.call(repo.registry(), new BlobUploadFinish(repo, location, digest, body));
    }

    /** A Docker-Content-Digest header value, or null if it is not a valid digest (then it is ignored). */
    static Digest parseDigestHeader(String value) {
        try {
            return Digest.parse(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static final class Builder {
        private CredentialStore credentials = CredentialStore.none();
        private List<String> insecureRegistries = List.of();
        private RetryPolicy retry = RetryPolicy.defaults();
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration requestTimeout = Duration.ofMinutes(5);
        private Duration readTimeout = Duration.ofSeconds(60);
        private String userAgent = "berth/0.1";
        private int chunkSize = 16 << 20;
        private int concurrency = 3;

        private Builder() {}

        public Builder credentials(CredentialStore credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Registries spoken to over plain http besides loopback ones: "host", "host:port" or a CIDR. */
        public Builder insecureRegistries(List<String> registries) {
            this.insecureRegistries = List.copyOf(registries);
            return this;
        }

        public Builder retryPolicy(RetryPolicy retry) {
            this.retry = retry;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long to wait for a response's headers (a body may take longer). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /** How long a response body may go without a byte before the read fails (and is retried). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        public Builder chunkSize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("chunk size must be positive");
            }
            this.chunkSize = bytes;
            return this;
        }

        /** Blobs moved at once by a pull or push (docker's max-concurrent-downloads, also 3). */
        public Builder concurrency(int blobs) {
            if (blobs < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            this.concurrency = blobs;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }
}
