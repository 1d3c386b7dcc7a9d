package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** image-index.md, and Docker's manifest list which has the same shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageIndex(int schemaVersion, String mediaType, String artifactType, List<Descriptor> manifests,
                         Descriptor subject, Map<String, String> annotations) {}
