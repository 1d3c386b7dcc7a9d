package dev.berth.cgroups;

/**
 * A cgroup operation failed. The message always starts with the config field (or operation) it
 * concerns, then what was done and the kernel's answer, e.g.
 * {@code linux.resources.memory.limit: write memory.limit_in_bytes: Device or resource busy}.
 * The user fixes config.json from the first part and reads the reason from the last.
 */
public final class CgroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    public CgroupException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public CgroupException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    /** The config field (e.g. {@code linux.resources.cpu.shares}) or operation ({@code freezer}) at fault. */
    public String field() {
        return field;
    }
}
