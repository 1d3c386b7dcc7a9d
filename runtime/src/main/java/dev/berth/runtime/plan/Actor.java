package dev.berth.runtime.plan;

/** Which process of a launch runs an op; see native/src/plan.h. */
public enum Actor {
    /** The shim, before it forks anything. */
    MONITOR,
    /** The helper that joins existing namespaces and clones the container. */
    STAGE1,
    /** The shim again, once the container's pid is known. */
    PARENT,
    /** The container process, up to execve. */
    CHILD
}
