package dev.berth.engine.image;

import dev.berth.engine.EngineException;
import dev.berth.image.ContentStore;
import dev.berth.image.Image;
import dev.berth.image.ImageNotFoundException;
import dev.berth.image.ImageStore;
import dev.berth.image.archive.ArchiveLoader;
import dev.berth.image.archive.ArchivedImage;
import dev.berth.oci.image.Descriptor;
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

    public Images(Path dataRoot) throws IOException {
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
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
    }
}
