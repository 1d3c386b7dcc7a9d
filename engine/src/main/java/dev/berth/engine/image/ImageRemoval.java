package dev.berth.engine.image;

import dev.berth.engine.EngineException;
import dev.berth.image.Image;
import dev.berth.image.ImageConflictException;
import dev.berth.image.ImageNotFoundException;
import dev.berth.image.RemoveResult;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code docker rmi} and {@code docker image prune} with dockerd's rules (daemon/images/
 * image_delete.go). By name: the name goes; if it was the image's last and a container uses the
 * image, that is a conflict unless forced, and forced the image stays (dangling) under the
 * container. By ID: a running container's image cannot be deleted even with force, a stopped
 * container's only with force, and an image named in several repositories only with force.
 * Deleting releases the image's layers (those no other image or container builds on go) and its
 * blobs no other image references. Answers are docker's list of {"Untagged"} and {"Deleted"}.
 */
public final class ImageRemoval {
    private final Images images;
    private final ImageUsers users;

    public ImageRemoval(Images images, ImageUsers users) {
        this.images = images;
        this.users = users;
    }

    /** What prune removed and the bytes of blobs it freed. */
    public record Pruned(List<Map<String, String>> deleted, long spaceReclaimed) {}

    public List<Map<String, String>> remove(String refOrId, boolean force) throws IOException {
        synchronized (images) {
            Image image = images.resolve(refOrId);
            List<ImageReference> refs = references(image);
            List<ImageUsers.User> using = users.of(image.id());
            List<Map<String, String>> out = new ArrayList<>();
            if (!isIdPrefix(image.id(), refOrId)) {
                if (!using.isEmpty() && isSingleReference(refs)) {
                    if (!force) {
                        throw new EngineException(409, "conflict: unable to remove repository reference \"" + refOrId
                                + "\" (must force) - container " + using.getFirst().shortId()
                                + " is using its referenced image " + image.shortId());
                    }
                    // Forced: the names go, the image stays for its containers (dockerd's quiet conflict).
                    for (ImageReference r : refs) {
                        images.store().untag(r);
                        out.add(Map.of("Untagged", r.familiar()));
                        images.publish("untag", image.id().toString(), r.familiar());
                    }
                    return out;
                }
                apply(image, images.store().remove(refOrId, force), out);
                return out;
            }
            for (ImageUsers.User u : using) {
                if (u.running()) {
                    throw new EngineException(409, "conflict: unable to delete " + image.shortId()
                            + " (cannot be forced) - image is being used by running container " + u.shortId());
                }
            }
            if (!force && !using.isEmpty()) {
                throw new EngineException(409, "conflict: unable to delete " + image.shortId()
                        + " (must be forced) - image is being used by stopped container " + using.getFirst().shortId());
            }
            try {
                apply(image, images.store().remove(image.id().toString(), force), out);
                return out;
            } catch (ImageConflictException e) {
                throw new EngineException(409, e.getMessage(), e);
            }
        }
    }

    /**
     * {@code docker image prune}: dangling images (or, with dangling=false, every image) that no
     * container uses and that pass the other filters, removed with all their names.
     */
    public Pruned prune(ImageFilters filters) throws IOException {
        synchronized (images) {
            Boolean dangling = filters.dangling();
            boolean onlyDangling = dangling == null || dangling;
            var test = filters.predicate(images.store());
            List<Map<String, String>> out = new ArrayList<>();
            long freed = 0;
            for (Image image : images.store().list()) {
                if ((onlyDangling && !image.dangling()) || !test.test(image) || !users.of(image.id()).isEmpty()) {
                    continue;
                }
                RemoveResult r;
                try {
                    r = images.store().remove(image.id(), true);
                } catch (ImageNotFoundException gone) {
                    continue;
                }
                freed += apply(image, r, out);
            }
            return new Pruned(out, freed);
        }
    }

    /** Reports the result, then frees layers and blobs; returns the bytes of blobs deleted. */
    private long apply(Image image, RemoveResult r, List<Map<String, String>> out) throws IOException {
        r.untagged().forEach(u -> {
            out.add(Map.of("Untagged", u));
            images.publish("untag", image.id().toString(), u);
        });
        if (r.deleted().isEmpty()) {
            return 0;
        }
        Digest id = r.deleted().get();
        out.add(Map.of("Deleted", id.toString()));
        images.publish("delete", id.toString(), r.untagged().isEmpty() ? id.toString() : r.untagged().getFirst());
        for (Digest chain : images.release(image)) {
            out.add(Map.of("Deleted", chain.toString()));
        }
        long freed = 0;
        for (Digest blob : r.unreferencedBlobs()) {
            if (images.content().has(blob)) {
                freed += images.content().size(blob);
                images.content().delete(blob);
            }
        }
        return freed;
    }

    private static List<ImageReference> references(Image image) {
        List<ImageReference> refs = new ArrayList<>(image.repoTags());
        refs.addAll(image.repoDigests());
        return refs;
    }

    /** docker's isImageIDPrefix: the text is the ID or a prefix of it, with or without "sha256:". */
    private static boolean isIdPrefix(Digest id, String text) {
        return id.toString().startsWith(text) || id.encoded().startsWith(text);
    }

    /**
     * docker's isSingleReference: at most one tag, and the digest references (if any) are all of
     * that one repository.
     */
    static boolean isSingleReference(List<ImageReference> refs) {
        if (refs.size() <= 1) {
            return refs.size() == 1;
        }
        ImageReference single = null;
        Set<String> canonical = new HashSet<>();
        for (ImageReference r : refs) {
            if (r.digest().isPresent()) {
                canonical.add(r.name());
            } else if (single == null) {
                single = r;
            } else {
                return false;
            }
        }
        if (single == null) {
            single = refs.getFirst();
        }
        return canonical.size() == 1 && canonical.contains(single.name());
    }
}
