package dev.berth.engine.image;

import dev.berth.engine.EngineException;
import dev.berth.engine.events.Events;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageNotFoundException;
import dev.berth.image.ImageStore;
import dev.berth.image.archive.ArchiveLoader;
import dev.berth.image.archive.ArchivedImage;
import dev.berth.image.archive.DockerArchiveWriter;
import dev.berth.image.archive.RootfsImporter;
import dev.berth.image.archive.SaveSelection;
import dev.berth.image.registry.CredentialStore;
import dev.berth.image.registry.ImagePuller;
import dev.berth.image.registry.PulledImage;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.Repository;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Platform;
import dev.berth.oci.image.Digest;
import dev.berth.storage.LayerStore;
import dev.berth.storage.snapshot.OverlaySupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine's images: blobs and image records (module image) and their layers unpacked as
 * snapshots (module storage). An image is usable by containers once every layer is registered.
 */
public final class Images {
    private final ContentStore content;
    private final ImageStore store;
    private final LayerStore layers;
    private final Path tmpDir;

    private final List<String> mirrors;
    private final List<String> insecureRegistries;
    private final Events events;

    /** Images under {@code dataRoot} with no mirrors and only loopback registries over http. */
    public Images(Path dataRoot) throws IOException {
        this(dataRoot, List.of(), List.of(), new Events());
    }

    public Images(Path dataRoot, List<String> mirrors, List<String> insecureRegistries, Events events) throws IOException {
        this.events = events;
        this.mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        List<String> insecure = new java.util.ArrayList<>(insecureRegistries == null ? List.of() : insecureRegistries);
        // dockerd treats http:// mirrors as plain-http registries
        this.mirrors.stream().filter(m -> m.startsWith("http://")).forEach(m -> insecure.add(m.substring(7).replaceFirst("/$", "")));
        this.insecureRegistries = List.copyOf(insecure);
        this.content = new ContentStore(dataRoot.resolve("image/content"));
        this.store = new ImageStore(dataRoot.resolve("image/store"), content);
        this.tmpDir = java.nio.file.Files.createDirectories(dataRoot.resolve("image/tmp"));
        this.layers = new LayerStore(dataRoot.resolve("layers"), OverlaySupport.open(dataRoot.resolve("snapshots")));
    }

    public ImageStore store() {
        return store;
    }

    public LayerStore layers() {
        return layers;
    }

    /**
     * `docker load`: every image of the archive stored, tagged and unpacked; returns docker's
     * lines ("Loaded image: busybox:latest", or "Loaded image ID: sha256:..." without a name).
     */
    public List<String> load(InputStream archive) throws IOException {
        List<String> messages = new java.util.ArrayList<>();
        for (ArchivedImage a : new ArchiveLoader(store).load(archive)) {
            unpack(a.image());
            if (a.names().isEmpty()) {
                messages.add("Loaded image ID: " + a.image().id());
            }
            a.names().forEach(n -> messages.add("Loaded image: " + n.familiar()));
            publish("load", a.image().id().toString(), a.names().isEmpty() ? a.image().id().toString() : a.names().getFirst().familiar());
        }
        return messages;
    }

    /**
     * `docker pull`: the image's manifest for this platform, its config and layers from the
     * registry (a mirror first for docker.io names, as dockerd does), stored, tagged and unpacked.
     */
    public ImageView pull(String name, java.util.function.Consumer<PullProgress> progress) throws IOException {
        return pull(name, RegistryAuth.NONE, progress);
    }

    /** {@link #pull(String, java.util.function.Consumer)} with the client's credentials (X-Registry-Auth). */
    public ImageView pull(String name, RegistryAuth auth, java.util.function.Consumer<PullProgress> progress) throws IOException {
        ImageReference ref;
        try {
            ref = ImageReference.parse(name);
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
        Repository repo = Repository.of(ref);
        String reference = ref.digest().map(Object::toString).orElse(ref.tag().orElse("latest"));
        progress.accept(new PullProgress("Pulling from " + repo.familiarName(), reference, 0, 0));
        PulledImage pulled = null;
        IOException failure = null;
        for (Repository source : sources(repo)) {
            try (RegistryClient client = client(auth, source.registry())) {
                pulled = new ImagePuller(client, content).pull(source, reference, Platform.host(),
                        p -> progress.accept(new PullProgress(p.dockerStatus(false), p.shortId(), p.done(), p.total())));
                break;
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (pulled == null) {
            throw new EngineException(failure instanceof dev.berth.image.registry.RegistryNotFoundException ? 404 : 500,
                    failure == null ? "pull failed" : failure.getMessage(), failure);
        }
        Digest index = pulled.digest().equals(pulled.manifestDigest()) ? null : pulled.digest();
        Image image = store.put(pulled.manifestBytes(), pulled.configBytes(), Platform.host(), index);
        if (ref.tag().isPresent()) {
            store.tag(ref, image.id());
        }
        store.addRepoDigest(ref.nameOnly().withDigest(pulled.digest()), image.id());
        unpack(image);
        for (Descriptor layer : pulled.layers()) {
            progress.accept(new PullProgress("Pull complete", layer.parsedDigest().encoded().substring(0, 12), 0, 0));
        }
        progress.accept(PullProgress.of("Digest: " + pulled.digest()));
        progress.accept(PullProgress.of("Status: Downloaded newer image for " + ref.familiar()));
        publish("pull", ref.familiar(), ref.nameOnly().familiar());
        return ImageView.of(image);
    }

    /**
     * A registry client for one job: the client's credentials (X-Registry-Auth) for
     * {@code registry} when it sent some, else those of the daemon user's docker config.json.
     */
    RegistryClient client(RegistryAuth auth, String registry) throws IOException {
        CredentialStore credentials = auth.present() ? auth.storeFor(registry) : CredentialStore.fromDefaultDockerConfig();
        // A client may send credentials for one registry with a job on another (docker's CLI sends
        // the image's): those stay unused, as dockerd ignores them.
        return RegistryClient.builder().insecureRegistries(insecureRegistries).credentials(credentials).build();
    }

    /** Scratch space for archives and layers being made (under the data root: same filesystem as the stores). */
    public Path tmpDir() {
        return tmpDir;
    }

    public ContentStore content() {
        return content;
    }

    /** The registry mirrors for docker.io names (then Docker Hub itself), or just the named registry. */
    private List<Repository> sources(Repository repo) {
        List<Repository> out = new java.util.ArrayList<>();
        if (repo.registry().equals("docker.io")) {
            for (String mirror : mirrors) {
                out.add(new Repository(mirror.replaceFirst("^https?://", "").replaceFirst("/$", ""), repo.name()));
            }
        }
        out.add(repo);
        return out;
    }

    public List<ImageView> list() {
        return store.list().stream().map(ImageView::of).toList();
    }

    /** GET /images/json with docker's filters (dangling, label, reference, before, since). */
    public List<ImageView> list(ImageFilters filters) {
        var test = filters.predicate(store);
        return store.list().stream().filter(test).map(ImageView::of).toList();
    }

    /**
     * POST /auth ({@code docker login}): checks the credentials against the registry they name
     * (Docker Hub when none). Nothing is kept: the client stores them and sends them with each
     * pull and push.
     */
    public void login(RegistryAuth auth) throws IOException {
        String registry = registryHost(auth.serverAddress());
        try (RegistryClient client = client(auth, registry)) {
            client.login(registry);
        } catch (dev.berth.image.registry.RegistryAuthException e) {
            throw new EngineException(401, e.getMessage(), e);
        } catch (dev.berth.image.registry.RegistryException e) {
            throw new EngineException(500, e.getMessage(), e);
        }
    }

    /** "https://host:5000/v1/" and "host:5000" both mean host:5000; Docker Hub's aliases mean docker.io. */
    static String registryHost(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return "docker.io";
        }
        String s = serverAddress.strip().replaceFirst("^[a-zA-Z]+://", "");
        int slash = s.indexOf('/');
        s = slash < 0 ? s : s.substring(0, slash);
        return s.equals("index.docker.io") || s.equals("registry-1.docker.io") ? "docker.io" : s;
    }

    /** {@code docker push}: see {@link ImagePush}. */
    public void push(String name, String tag, RegistryAuth auth, java.util.function.Consumer<PushProgress> progress)
            throws IOException {
        new ImagePush(this).push(name, tag, auth, progress);
        publish("push", tag == null || tag.isEmpty() ? name : name + ":" + tag, name);
    }

    /**
     * {@code docker tag SOURCE REPO[:TAG]} (POST /images/{name}/tag?repo=&tag=): the name moves to
     * the image if it pointed elsewhere, as docker moves it.
     */
    public void tag(String source, String repo, String tag) throws IOException {
        Image image = resolve(source);
        if (repo == null || repo.isEmpty()) {
            throw new EngineException(400, "repository name must have at least one component");
        }
        ImageReference target;
        try {
            target = ImageReference.parseNormalizedNamed(repo);
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
        if (target.digest().isPresent()) {
            throw new EngineException(400, "refusing to create a tag with a digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            if (!ImageReference.isValidTag(tag)) {
                throw new EngineException(400, "invalid tag format");
            }
            target = target.nameOnly().withTag(tag);
        }
        store.tag(target, image.id());
        publish("tag", image.id().toString(), target.familiar());
    }

    /** An image event for /events: docker's Actor.ID (a reference or an image ID) and its name. */
    void publish(String action, String id, String name) {
        events.publish("image", action, id, java.util.Map.of("name", name));
    }

    /**
     * {@code docker import} (POST /images/create?fromSrc=-): a root filesystem tarball as a
     * one-layer image, its config from the {@code changes} (Dockerfile lines, as for commit),
     * tagged {@code repo[:tag]} when given, unpacked. Everything that can be refused (the name,
     * the changes) is checked before the tarball is read.
     */
    public ImageView importTarball(InputStream tarball, String repo, String tag, String message, List<String> changes)
            throws IOException {
        ImageReference name = null;
        if (repo != null && !repo.isEmpty()) {
            try {
                name = ImageReference.parseNormalizedNamed(repo);
            } catch (IllegalArgumentException e) {
                throw new EngineException(400, e.getMessage(), e);
            }
            if (name.digest().isPresent()) {
                throw new EngineException(400, "refusing to create a tag with a digest reference");
            }
            if (tag != null && !tag.isEmpty()) {
                if (!ImageReference.isValidTag(tag)) {
                    throw new EngineException(400, "invalid tag format");
                }
                name = name.nameOnly().withTag(tag);
            }
        }
        var empty = new dev.berth.oci.image.ImageConfig.Config(null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        var config = ConfigChanges.apply(empty, changes == null ? List.of() : changes);
        var options = RootfsImporter.Options.defaults().withChanges(config)
                .withMessage(message == null || message.isEmpty() ? null : message);
        if (name != null) {
            options = options.withTag(name);
        }
        Image image;
        try {
            image = new RootfsImporter(store).importTarball(tarball, options);
        } catch (dev.berth.image.InvalidImageException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
        unpack(image);
        return ImageView.of(image);
    }

    /** {@code docker history}: see {@link ImageHistory}. */
    public List<ImageHistory.Entry> history(String reference) {
        return ImageHistory.of(resolve(reference), layers);
    }

    /**
     * {@code docker save} (GET /images/{name}/get, GET /images/get?names=): the images chosen as
     * docker chooses them ({@link SaveSelection}), checked before anything is written, then one
     * docker-archive streamed to {@code out}.
     */
    public Save save(List<String> names) {
        if (names.isEmpty()) {
            throw new EngineException(400, "no images given to save");
        }
        List<ArchivedImage> chosen;
        try {
            chosen = SaveSelection.resolve(store, names);
        } catch (ImageNotFoundException e) {
            throw new EngineException(404, e.getMessage(), e);
        } catch (dev.berth.image.InvalidImageException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
        return out -> {
            Path work = java.nio.file.Files.createTempDirectory(tmpDir, "save-");
            try {
                new DockerArchiveWriter(content, work).write(out, chosen);
            } finally {
                deleteTree(work);
            }
        };
    }

    /** An archive ready to be written (the images are chosen; only the writing can fail now). */
    @FunctionalInterface
    public interface Save {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    public ImageView inspect(String reference) {
        return ImageView.of(resolve(reference));
    }

    /** Registers each layer of the image as a snapshot on top of the previous one (once per chain). */
    public void unpack(Image image) throws IOException {
        List<Descriptor> blobs = image.layers();
        Digest parent = null;
        for (int i = 0; i < blobs.size(); i++) {
            Digest chain = image.chainIds().get(i);
            String owner = owner(image.id());
            if (layers.get(chain).isPresent()) {
                layers.retain(chain, owner);
            } else {
                try (InputStream blob = content.open(blobs.get(i).parsedDigest())) {
                    layers.register(parent, blob, blobs.get(i).mediaType(), image.diffIds().get(i), owner);
                }
            }
            parent = chain;
        }
    }

    /**
     * Drops a deleted image's hold on its layers (top first); returns the chain IDs of the layers
     * that went with it (those no other image holds and no container builds on).
     */
    public List<Digest> release(Image image) throws IOException {
        String owner = owner(image.id());
        List<Digest> removed = new java.util.ArrayList<>();
        for (Digest chain : image.chainIds().reversed()) {
            if (layers.get(chain).filter(l -> l.owners().contains(owner)).isPresent()) {
                removed.addAll(layers.release(chain, owner));
            }
        }
        return removed;
    }

    private static String owner(Digest imageId) {
        return "image:" + imageId.encoded();
    }

    /** An image by name, id or short id; docker's 404 if unknown. */
    public Image resolve(String reference) {
        try {
            return store.resolve(reference);
        } catch (ImageNotFoundException e) {
            throw new EngineException(404, e.getMessage(), e);
        } catch (IllegalArgumentException | dev.berth.image.InvalidImageException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
    }
}
