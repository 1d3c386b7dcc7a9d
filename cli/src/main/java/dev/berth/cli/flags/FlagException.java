package dev.berth.cli.flags;

/**
 * Bad command-line input, exit status 125 as docker's. A flag that does not parse gets docker's
 * usage hint (pflag's error, the usage line); options that parse but do not go together, or a
 * value the command itself refuses, get "docker: message" and the pointer to --help only.
 */
public final class FlagException extends Exception {
    private final boolean showUsage;

    public FlagException(String message) {
        this(message, true);
    }

    private FlagException(String message, boolean showUsage) {
        super(message, null, false, false);
        this.showUsage = showUsage;
    }

    /** Refused by the command after parsing (docker's RunE errors). */
    public static FlagException invalid(String message) {
        return new FlagException(message, false);
    }

    public boolean showUsage() {
        return showUsage;
    }
}
