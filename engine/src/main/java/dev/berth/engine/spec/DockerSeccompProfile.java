package dev.berth.engine.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.runtime.Spec;
import java.util.List;

/**
 * A seccomp profile in docker's format (what `--security-opt seccomp=<file>` reads, and what our
 * built-in default-seccomp.json is written in). It is OCI's linux.seccomp plus three things OCI
 * lacks: {@code archMap} (the ABIs to allow, keyed by the native one), a rule's single
 * {@code name}, and per-rule {@code includes}/{@code excludes} conditions on the container's
 * capabilities, the host's architecture and kernel version. An OCI profile is also a valid
 * docker profile. {@link SeccompProfiles} turns it into OCI's form for one container.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
record DockerSeccompProfile(
        @JsonProperty("defaultAction") String defaultAction,
        @JsonProperty("defaultErrnoRet") Integer defaultErrnoRet,
        @JsonProperty("architectures") List<String> architectures,
        @JsonProperty("archMap") List<ArchMap> archMap,
        @JsonProperty("flags") List<String> flags,
        @JsonProperty("listenerPath") String listenerPath,
        @JsonProperty("listenerMetadata") String listenerMetadata,
        @JsonProperty("syscalls") List<Rule> syscalls) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ArchMap(@JsonProperty("architecture") String architecture,
                   @JsonProperty("subArchitectures") List<String> subArchitectures) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rule(@JsonProperty("name") String name,
                @JsonProperty("names") List<String> names,
                @JsonProperty("action") String action,
                @JsonProperty("errnoRet") Integer errnoRet,
                @JsonProperty("args") List<Spec.SyscallArg> args,
                @JsonProperty("comment") String comment,
                @JsonProperty("includes") Filter includes,
                @JsonProperty("excludes") Filter excludes) {}

    /** Conditions on the container and host: capabilities, Go architecture names (amd64, arm64, ...), minimum kernel. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Filter(@JsonProperty("caps") List<String> caps,
                  @JsonProperty("arches") List<String> arches,
                  @JsonProperty("minKernel") String minKernel) {}
}
