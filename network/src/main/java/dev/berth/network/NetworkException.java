package dev.berth.network;

/**
 * What a network operation reports when the request, not the machine, is at fault, in DESIGN.md's
 * typed errors so that the API can map them to docker's status codes: {@link
 * InvalidNetworkRequestException} 400, {@link NetworkNotFoundException} 404, {@link
 * NetworkConflictException} 409. Kernel failures are {@link dev.berth.network.netlink.NetlinkException},
 * {@link dev.berth.network.firewall.NftablesException} or {@link java.io.UncheckedIOException} (500).
 */
public abstract sealed class NetworkException extends RuntimeException
        permits InvalidNetworkRequestException, NetworkNotFoundException, NetworkConflictException {
    protected NetworkException(String message) {
        super(message);
    }
}
