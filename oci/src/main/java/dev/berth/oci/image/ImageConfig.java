package dev.berth.oci.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * config.md: the image configuration. Field names are the spec's (capitalised inside "config",
 * as Docker wrote them first). Docker's own extra fields (Healthcheck, OnBuild, Shell...) are
 * kept through {@link Config#healthcheck()} and friends where Berth uses them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(String created, String author, String architecture, String os,
                          @JsonProperty("os.version") String osVersion, String variant, Config config,
                          RootFs rootfs, List<History> history) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Config(@JsonProperty("User") String user,
                         @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
                         @JsonProperty("Env") List<String> env,
                         @JsonProperty("Entrypoint") List<String> entrypoint,
                         @JsonProperty("Cmd") List<String> cmd,
                         @JsonProperty("Volumes") Map<String, Object> volumes,
                         @JsonProperty("WorkingDir") String workingDir,
                         @JsonProperty("Labels") Map<String, String> labels,
                         @JsonProperty("StopSignal") String stopSignal,
                         @JsonProperty("ArgsEscaped") Boolean argsEscaped,
                         @JsonProperty("Healthcheck") Map<String, Object> healthcheck,
                         @JsonProperty("OnBuild") List<String> onBuild,
                         @JsonProperty("Shell") List<String> shell) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RootFs(String type, @JsonProperty("diff_ids") List<String> diffIds) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record History(String created, @JsonProperty("created_by") String createdBy, String author,
                          String comment, @JsonProperty("empty_layer") Boolean emptyLayer) {}
}
