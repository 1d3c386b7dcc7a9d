package dev.berth.cli;

/**
 * A command failed: the message is printed on stderr as one line and the process exits with
 * {@code exitCode} (docker's: 1 for most failures, 125 for bad flags and for run/create when the
 * daemon fails, 126/127 when the container's command cannot be invoked or found).
 */
public class CliException extends Exception {
    private final int exitCode;

    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
