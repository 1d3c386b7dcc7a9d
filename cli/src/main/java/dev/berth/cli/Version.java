package dev.berth.cli;

/** The client's own version, as `berth version` and `berth -v` print it. */
public final class Version {
    public static final String CLIENT = "0.1.0";
    public static final String COMMIT = "berth";

    private Version() {}
}
