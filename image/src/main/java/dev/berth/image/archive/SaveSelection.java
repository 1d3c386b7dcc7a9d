package dev.berth.image.archive;

import dev.berth.image.Image;
import dev.berth.image.ImageNotFoundException;
import dev.berth.image.ImageStore;
import dev.berth.image.InvalidImageException;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns {@code docker save} arguments into images and the tags to save them under, by docker's
 * rules (moby image/tarexport/save.go, parseNames):
 * <ul>
 * <li>an ID, full or a prefix, saves the image with no tags;</li>
 * <li>a bare name ("busybox") saves every tagged image of that repository under all its tags;</li>
 * <li>name:tag saves that image under that tag; name@digest saves it with no tag.</li>
 * </ul>
 * An image named twice is saved once, with the union of its tags.
 */
public final class SaveSelection {
    private static final Pattern HEX_64 = Pattern.compile("[a-f0-9]{64}");

    private SaveSelection() {}

    public static List<ArchivedImage> resolve(ImageStore store, List<String> refsOrIds) {
        Map<Digest, Image> images = new LinkedHashMap<>();
        Map<Digest, Set<ImageReference>> names = new LinkedHashMap<>();
        for (String arg : refsOrIds) {
            if (isId(arg)) {
                add(images, names, store.resolve(arg), null);
                continue;
            }
            ImageReference named;
            try {
                named = ImageReference.parseNormalizedNamed(arg);
            } catch (IllegalArgumentException e) {
                throw new InvalidImageException(e.getMessage(), e);
            }
            if (named.familiarName().equals("sha256")) {
                add(images, names, store.resolve(arg), null); // "sha256:<prefix>" is an ID prefix
            } else if (named.isNameOnly()) {
                List<ImageReference> inRepo = store.references().stream()
                        .filter(r -> r.name().equals(named.name())).toList();
                if (inRepo.isEmpty()) {
                    add(images, names, store.resolve(arg), null); // not a repository: maybe an ID prefix
                }
                for (ImageReference r : inRepo) {
                    Digest id = store.lookup(r).orElseThrow(() -> new ImageNotFoundException(r.familiar()));
                    add(images, names, store.get(id).orElseThrow(), r);
                }
            } else {
                Digest id = store.lookup(named).orElseThrow(() -> new ImageNotFoundException(named.familiar()));
                add(images, names, store.get(id).orElseThrow(), named);
            }
        }
        List<ArchivedImage> out = new ArrayList<>();
        images.forEach((id, image) -> out.add(new ArchivedImage(image, List.copyOf(names.get(id)))));
        return out;
    }

    private static boolean isId(String arg) {
        if (HEX_64.matcher(arg).matches()) {
            return true;
        }
        try {
            Digest.parse(arg);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Digest references name content, not a tag: the image goes in without a name for them. */
    private static void add(Map<Digest, Image> images, Map<Digest, Set<ImageReference>> names, Image image,
                            ImageReference ref) {
        images.putIfAbsent(image.id(), image);
        Set<ImageReference> set = names.computeIfAbsent(image.id(), k -> new LinkedHashSet<>());
        if (ref != null && ref.digest().isEmpty()) {
            set.add(ref.withDefaultTag());
        }
    }
}
