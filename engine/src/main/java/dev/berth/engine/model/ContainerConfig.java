package dev.berth.engine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The "Config" part of a container (Docker Engine API ContainerConfig): what the container
 * runs, independent of the host. Field names are the API's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerConfig(
        @JsonProperty("Hostname") String hostname,
        @JsonProperty("Domainname") String domainname,
        @JsonProperty("User") String user,
        @JsonProperty("AttachStdin") Boolean attachStdin,
        @JsonProperty("AttachStdout") Boolean attachStdout,
        @JsonProperty("AttachStderr") Boolean attachStderr,
        @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
        @JsonProperty("Tty") Boolean tty,
        @JsonProperty("OpenStdin") Boolean openStdin,
        @JsonProperty("StdinOnce") Boolean stdinOnce,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("Cmd") List<String> cmd,
        @JsonProperty("Healthcheck") HealthConfig healthcheck,
        @JsonProperty("Image") String image,
        @JsonProperty("Volumes") Map<String, Object> volumes,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonProperty("Entrypoint") List<String> entrypoint,
        @JsonProperty("NetworkDisabled") Boolean networkDisabled,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("StopSignal") String stopSignal,
        @JsonProperty("StopTimeout") Integer stopTimeout) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HealthConfig(@JsonProperty("Test") List<String> test,
                               @JsonProperty("Interval") Long interval,
                               @JsonProperty("Timeout") Long timeout,
                               @JsonProperty("Retries") Integer retries,
                               @JsonProperty("StartPeriod") Long startPeriod,
                               @JsonProperty("StartInterval") Long startInterval) {}
}
