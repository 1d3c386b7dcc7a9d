package dev.berth.oci.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The OCI state (runtime.md#state): what `state` prints and what hooks read on stdin.
 * {@code pid} is the host pid of the container process, absent once it is stopped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ociVersion", "id", "status", "pid", "bundle", "annotations"})
public record State(String ociVersion, String id, String status, Integer pid, String bundle,
                    Map<String, String> annotations) {}
