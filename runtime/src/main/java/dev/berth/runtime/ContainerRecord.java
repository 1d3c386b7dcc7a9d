package dev.berth.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.oci.runtime.Spec;
import java.util.List;
import java.util.Map;

/**
 * What berth-runtime keeps about a container in its state dir (state.json): enough to answer
 * `state`, signal it, find its cgroup, and run its hooks, without the bundle.
 *
 * @param pidStartTime the process's start time (/proc/pid/stat field 22), so that a reused pid
 *                     is never mistaken for the container
 * @param cgroupDirs   the cgroup directories create made (parents included), so that delete,
 *                     in another process, removes exactly those
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(String id, String bundle, String rootfs, int pid, long pidStartTime, long shimPid,
                              long shimStartTime, String created, String cgroupsPath, List<String> cgroupDirs,
                              String owner, Map<String, String> annotations, Spec config) {}
