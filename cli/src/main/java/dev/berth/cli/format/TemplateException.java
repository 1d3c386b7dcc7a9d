package dev.berth.cli.format;

/** A --format template that does not parse or cannot be applied; the message is in Go's words where it can be. */
public final class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message, null, false, false);
    }
}
