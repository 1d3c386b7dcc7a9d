package dev.berth.image.archive;

import dev.berth.image.Image;
import dev.berth.oci.image.ImageReference;
import java.util.List;

/**
 * An image in an archive together with the names it travels under: what {@code docker save}
 * writes as RepoTags, or what {@code docker load} tagged ("Loaded image: busybox:latest"; with no
 * names, "Loaded image ID: sha256:...").
 */
public record ArchivedImage(Image image, List<ImageReference> names) {
    public ArchivedImage {
        names = List.copyOf(names);
    }
}
