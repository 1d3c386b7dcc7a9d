package dev.berth.image.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.image.Descriptor;
import java.util.List;
import java.util.Map;

/**
 * One element of a docker-archive's {@code manifest.json} (moby image/tarexport, the format
 * {@code docker save} writes and {@code docker load} reads): paths inside the archive of the
 * config and of each layer's uncompressed tar, bottom first, and the image's tags in familiar
 * form. {@code LayerSources} describes foreign layers, which are not in the archive.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record DockerArchiveManifest(@JsonProperty("Config") String config,
                             @JsonProperty("RepoTags") List<String> repoTags,
                             @JsonProperty("Layers") List<String> layers,
                             @JsonProperty("LayerSources") @JsonInclude(JsonInclude.Include.NON_EMPTY)
                             Map<String, Descriptor> layerSources) {

    static final String FILE = "manifest.json";
    static final String REPOSITORIES_FILE = "repositories";
}
