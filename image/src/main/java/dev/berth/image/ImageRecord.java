package dev.berth.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Platform;
import java.util.List;

/**
 * An image's file, {@code <root>/images/sha256/<hex>.json}. It holds only what the content store
 * cannot tell: which manifests (and indexes) carry the config, for which platform, since when. The
 * config and manifests themselves are read back from the content store, which stays the one copy.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record ImageRecord(String id, List<ManifestRef> manifests, Platform platform, String added) {

    /** A manifest blob (its descriptor) and the index it was selected from, if any. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ManifestRef(Descriptor manifest, String index) {}
}
