package dev.berth.network;

/** The request is malformed (a bad CIDR, a gateway outside its subnet): the API's 400. */
public final class InvalidNetworkRequestException extends NetworkException {
    public InvalidNetworkRequestException(String message) {
        super(message);
    }
}
