package dev.berth.runtime;

/** The OCI lifecycle states (runtime.md#state), as `state` and `list` print them. */
public enum Status {
    CREATING, CREATED, RUNNING, PAUSED, STOPPED;

    public String text() {
        return name().toLowerCase();
    }
}
