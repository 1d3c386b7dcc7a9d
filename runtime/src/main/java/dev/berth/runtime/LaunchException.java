package dev.berth.runtime;

/**
 * A container could not be created or started; the message says why, naming the config field.
 * The cause tells callers that map failures to exit codes (docker's 127 and 126) what failed.
 */
public final class LaunchException extends RuntimeException {
    /** What kind of failure: the user's program missing, present but not runnable, or anything else. */
    public enum Cause { PROGRAM_NOT_FOUND, PROGRAM_NOT_RUNNABLE, OTHER }

    private final Cause cause;

    public LaunchException(String message) {
        this(message, Cause.OTHER);
    }

    public LaunchException(String message, Cause cause) {
        super(message);
        this.cause = cause;
    }

    public Cause failure() {
        return cause;
    }
}
