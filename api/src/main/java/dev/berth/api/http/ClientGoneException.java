package dev.berth.api.http;

import java.io.IOException;

/**
 * The client closed its connection while a response was still streaming (docker events, logs
 * -f, pull progress). A handler catches IOException on write and stops producing; this subtype
 * says the cause was the client leaving, not a local fault, so it need not be logged.
 */
public final class ClientGoneException extends IOException {
    public ClientGoneException(String message) {
        super(message);
    }

    public ClientGoneException(String message, Throwable cause) {
        super(message, cause);
    }
}
