package dev.berth.image;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import java.util.List;
import java.util.Optional;

/**
 * One manifest through which an image is known: the same config (so the same image ID) can arrive
 * with gzip layers from a registry and with plain tar layers from a docker-archive, and then has two.
 *
 * @param descriptor the manifest blob (media type, digest, size, and the platform it was chosen for)
 * @param layers     the manifest's layer descriptors, bottom first
 * @param index      the index or manifest list it was selected from, if any; kept so that the
 *                   index blob stays referenced and a push or save can reproduce it
 */
public record ImageManifest(Descriptor descriptor, List<Descriptor> layers, Digest index) {
    public ImageManifest {
        layers = List.copyOf(layers);
    }

    public Digest digest() {
        return descriptor.parsedDigest();
    }

    public Optional<Digest> indexDigest() {
        return Optional.ofNullable(index);
    }
}
