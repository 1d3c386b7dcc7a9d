package dev.berth.network;

/** No such network or endpoint: the API's 404. */
public final class NetworkNotFoundException extends NetworkException {
    public NetworkNotFoundException(String message) {
        super(message);
    }
}
