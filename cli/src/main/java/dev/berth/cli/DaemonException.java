package dev.berth.cli;

/** The daemon answered with an error status; printed as docker does: "Error response from daemon: <message>". */
public final class DaemonException extends CliException {
    private final int status;
    private final String daemonMessage;

    public DaemonException(int status, String daemonMessage) {
        super("Error response from daemon: " + daemonMessage, 1);
        this.status = status;
        this.daemonMessage = daemonMessage;
    }

    public int status() {
        return status;
    }

    /** The message as the daemon sent it, without docker's prefix. */
    public String daemonMessage() {
        return daemonMessage;
    }
}
