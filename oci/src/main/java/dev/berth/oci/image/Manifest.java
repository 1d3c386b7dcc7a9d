package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** manifest.md, and Docker's schema 2 manifest which has the same shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(int schemaVersion, String mediaType, String artifactType, Descriptor config,
                       List<Descriptor> layers, Descriptor subject, Map<String, String> annotations) {}
