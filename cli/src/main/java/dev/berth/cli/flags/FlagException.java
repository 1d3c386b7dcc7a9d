package dev.berth.cli.flags;

/** Bad command-line syntax: docker answers these with its usage hint and exit status 125. */
public final class FlagException extends Exception {
    public FlagException(String message) {
        super(message, null, false, false);
    }
}
