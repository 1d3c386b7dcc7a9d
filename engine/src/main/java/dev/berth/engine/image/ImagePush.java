package dev.berth.engine.image;

import dev.berth.engine.EngineException;
import dev.berth.image.Image;
import dev.berth.image.ImageManifest;
import dev.berth.image.registry.ImagePusher;
import dev.berth.image.registry.LayerProgress;
import dev.berth.image.registry.RegistryAuthException;
import dev.berth.image.registry.RegistryClient;
import dev.berth.image.registry.RegistryNotFoundException;
import dev.berth.image.registry.Repository;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code docker push} (POST /images/{name}/push): the image a tag names, or every tagged image of
 * the repository when no tag is given (dockerd's behaviour), pushed with its stored manifest.
 * Progress is docker's: "The push refers to repository [...]", a line per layer named by its
 * short DiffID (Preparing, Pushing with bytes, Pushed / Layer already exists / Mounted from ...),
 * then "TAG: digest: DIGEST size: N" and an aux {Tag, Digest, Size}. What was pushed is recorded
 * as name@digest, as dockerd records it.
 */
final class ImagePush {
    private final Images images;

    ImagePush(Images images) {
        this.images = images;
    }

    void push(String name, String tag, RegistryAuth auth, Consumer<PushProgress> progress) throws IOException {
        ImageReference repo;
        try {
            repo = ImageReference.parseNormalizedNamed(name);
        } catch (IllegalArgumentException e) {
            throw new EngineException(400, e.getMessage(), e);
        }
        if (repo.digest().isPresent()) {
            throw new EngineException(400, "cannot push a digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            if (!ImageReference.isValidTag(tag)) {
                throw new EngineException(400, "invalid tag format");
            }
            repo = repo.nameOnly().withTag(tag);
        }
        List<ImageReference> targets = targets(repo);
        progress.accept(PushProgress.of("The push refers to repository [" + repo.name() + "]"));
        Repository remote = Repository.of(repo);
        try (RegistryClient client = images.client(auth, remote.registry())) {
            for (ImageReference target : targets) {
                Digest id = images.store().lookup(target).orElseThrow(() -> new EngineException(404,
                        "tag does not exist: " + target.familiar()));
                pushOne(client, target, images.store().get(id).orElseThrow(), progress);
            }
        } catch (RegistryAuthException e) {
            throw new EngineException(401, e.getMessage(), e);
        } catch (RegistryNotFoundException e) {
            throw new EngineException(404, e.getMessage(), e);
        }
    }

    /** The tags to push: the one named, or all of the repository's (sorted), or docker's error. */
    private List<ImageReference> targets(ImageReference repo) {
        if (repo.tag().isPresent()) {
            if (images.store().lookup(repo).isEmpty()) {
                throw new EngineException(404, "tag does not exist: " + repo.familiar());
            }
            return List.of(repo);
        }
        ImageReference named = repo;
        List<ImageReference> tags = images.store().references().stream()
                .filter(r -> r.name().equals(named.name()) && r.tag().isPresent() && r.digest().isEmpty())
                .toList();
        if (tags.isEmpty()) {
            throw new EngineException(404, "An image does not exist locally with the tag: " + repo.familiarName());
        }
        return tags;
    }

    private void pushOne(RegistryClient client, ImageReference target, Image image, Consumer<PushProgress> progress)
            throws IOException {
        ImageManifest primary = image.manifests().getFirst();
        byte[] manifest = images.content().read(primary.digest());
        Map<Digest, String> shortIds = new HashMap<>();
        List<Descriptor> layers = image.layers();
        for (int i = 0; i < layers.size(); i++) {
            shortIds.put(layers.get(i).parsedDigest(), image.diffIds().get(i).encoded().substring(0, 12));
        }
        for (int i = layers.size() - 1; i >= 0; i--) { // top layer first, as dockerd lists them
            progress.accept(PushProgress.layer("Preparing", shortIds.get(layers.get(i).parsedDigest())));
        }
        Digest digest = new ImagePusher(client, images.content()).push(target, manifest, primary.descriptor().mediaType(),
                mountHints(target, image), p -> progress.accept(line(p, shortIds)));
        long size = manifest.length;
        String tag = target.tag().orElseThrow();
        progress.accept(PushProgress.of(tag + ": digest: " + digest + " size: " + size));
        Map<String, Object> aux = new LinkedHashMap<>();
        aux.put("Tag", tag);
        aux.put("Digest", digest.toString());
        aux.put("Size", size);
        progress.accept(new PushProgress(null, null, 0, 0, aux));
        images.store().addRepoDigest(target.nameOnly().withDigest(digest), image.id());
    }

    private static PushProgress line(LayerProgress p, Map<Digest, String> shortIds) {
        String id = shortIds.getOrDefault(p.digest(), p.shortId());
        if (p.phase() == LayerProgress.Phase.PUSHING) {
            return new PushProgress("Pushing", id, p.done(), p.total(), null);
        }
        return PushProgress.layer(p.dockerStatus(true), id);
    }

    /**
     * Other repositories of the same registry this image is known under: the registry can mount
     * its layers from there instead of receiving them again ("Mounted from ...").
     */
    private static Map<Digest, Repository> mountHints(ImageReference target, Image image) {
        List<ImageReference> names = new ArrayList<>(image.repoDigests());
        names.addAll(image.repoTags());
        for (ImageReference n : names) {
            if (n.registry().equals(target.registry()) && !n.name().equals(target.name())) {
                Repository from = Repository.of(n);
                Map<Digest, Repository> hints = new HashMap<>();
                image.layers().forEach(l -> hints.put(l.parsedDigest(), from));
                return hints;
            }
        }
        return Map.of();
    }
}
