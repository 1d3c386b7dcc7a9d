package dev.berth.image;

import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Digest;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.image.ImageReference;
import dev.berth.oci.image.Platform;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image as the store knows it: a snapshot, taken when it was asked for, of its config, the
 * manifests it came with, its layer chain and the names that point to it.
 *
 * @param id          the config's digest, as docker's image ID (image-spec config.md#imageid)
 * @param config      the image configuration
 * @param manifests   every manifest that carries this config; the first is the one it was stored with
 * @param diffIds     the uncompressed layer digests from the config's rootfs, bottom first
 * @param chainIds    the ChainIDs of those layers ({@link ChainIds})
 * @param repoTags    tags that point to it, e.g. docker.io/library/busybox:latest
 * @param repoDigests name@digest references recorded for it (what it was pulled by)
 * @param platform    the platform it was selected or built for
 * @param added       when this store first saw it
 */
public record Image(Digest id, ImageConfig config, List<ImageManifest> manifests, List<Digest> diffIds,
                    List<Digest> chainIds, List<ImageReference> repoTags, List<ImageReference> repoDigests,
                    Platform platform, Instant added) {

    public Image {
        manifests = List.copyOf(manifests);
        diffIds = List.copyOf(diffIds);
        chainIds = List.copyOf(chainIds);
        repoTags = List.copyOf(repoTags);
        repoDigests = List.copyOf(repoDigests);
    }

    /** The first 12 hex digits of the ID, as docker shows it. */
    public String shortId() {
        return id.encoded().substring(0, 12);
    }

    /** The primary manifest's layer descriptors, bottom first. */
    public List<Descriptor> layers() {
        return manifests.getFirst().layers();
    }

    public List<Digest> manifestDigests() {
        return manifests.stream().map(ImageManifest::digest).toList();
    }

    /** The config's "created" time, if it has a parseable one (docker shows "N/A" otherwise). */
    public Optional<Instant> created() {
        if (config.created() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(config.created()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public Map<String, String> labels() {
        return config.config() == null || config.config().labels() == null ? Map.of() : config.config().labels();
    }

    public List<ImageConfig.History> history() {
        return config.history() == null ? List.of() : config.history();
    }

    /** The ChainID of the top layer: what a container's snapshot is made on; empty for a layerless image. */
    public Optional<Digest> topChainId() {
        return chainIds.isEmpty() ? Optional.empty() : Optional.of(chainIds.getLast());
    }

    /** Bytes of the primary manifest's layer blobs as stored (compressed, when they are). */
    public long contentSize() {
        return layers().stream().mapToLong(Descriptor::size).sum();
    }

    /** No tag points to it (docker's "&lt;none&gt;:&lt;none&gt;"). */
    public boolean dangling() {
        return repoTags.isEmpty();
    }
}
