package dev.berth.runtime;

/** A container could not be created or started; the message says why, naming the config field. */
public final class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }
}
