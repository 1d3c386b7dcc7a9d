package dev.berth.engine.image;

import dev.berth.engine.EngineException;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageNotFoundException;
import dev.berth.image.ImageStore;
import dev.berth.image.archive.ArchiveLoader;
import dev.berth.image.archive.ArchivedImage;
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

    private final List<String> mirrors;
    private final List<String> insecureRegistries;

    /** Images under {@code dataRoot} with no mirrors and only loopback registries over http. */
    public Images(Path dataRoot) throws IOException {
        this(dataRoot, List.of(), List.of());
    }

    public Images(Path dataRoot, List<String> mirrors, List<String> insecureRegistries) throws IOException {
        this.mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
        List<String> insecure = new java.util.ArrayList<>(insecureRegistries == null ? List.of() : insecureRegistries);
        // dockerd treats http:// mirrors as plain-http registries
        this.mirrors.stream().filter(m -> m.startsWith("http://")).forEach(m -> insecure.add(m.substring(7).replaceFirst("/$", "")));
        this.insecureRegistries = List.copyOf(insecure);
        this.content = new ContentStore(dataRoot.resolve("image/content"));
        this.store = new ImageStore(dataRoot.resolve("image/store"), content);
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
        }
        return messages;
    }

    /**
     * `docker pull`: the image's manifest for this platform, its config and layers from the
     * registry (a mirror first for docker.io names, as dockerd does), stored, tagged and unpacked.
     */
    public ImageView pull(String name, java.util.function.Consumer<PullProgress> progress) throws IOException {
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
            try (RegistryClient client = RegistryClient.builder().insecureRegistries(insecureRegistries)
                    .credentials(CredentialStore.fromDefaultDockerConfig()).build()) {
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
        return ImageView.of(image);
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

    public ImageView inspect(String reference) {
        return ImageView.of(resolve(reference));
    }

    /** Registers each layer of the image as a snapshot on top of the previous one (once per chain). */
    public void unpack(Image image) throws IOException {
        List<Descriptor> blobs = image.layers();
        Digest parent = null;
        for (int i = 0; i < blobs.size(); i++) {
            Digest chain = image.chainIds().get(i);
            String owner = "image:" + image.id().encoded();
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
