package dev.berth.network.firewall;

/** libnftables refused a command; the message is nft's own error text and what we sent. */
public final class NftablesException extends RuntimeException {
    public NftablesException(String message) {
        super(message);
    }
}
