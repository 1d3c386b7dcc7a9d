package dev.berth.network;

/**
 * The request clashes with what exists: a name taken, an overlapping subnet, an address or host
 * port in use, a network that still has endpoints. The API's 409.
 */
public final class NetworkConflictException extends NetworkException {
    public NetworkConflictException(String message) {
        super(message);
    }
}
