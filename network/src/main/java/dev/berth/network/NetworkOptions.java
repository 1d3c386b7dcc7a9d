package dev.berth.network;

import dev.berth.network.dns.Upstreams;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@link Networks} keeps its state and which host resources it may use.
 *
 * @param stateDir networks and their leases are persisted under {@code stateDir/networks}
 * @param nftTable the name of our table in the ip family; nothing else is ever touched. Tests and
 *     a second daemon use their own name
 * @param defaultBridge the device of the default network "bridge" (berth0)
 * @param dnsUpstreams where the embedded DNS servers forward names they do not know
 */
public record NetworkOptions(Path stateDir, String nftTable, String defaultBridge, List<InetSocketAddress> dnsUpstreams) {
    public NetworkOptions {
        if (defaultBridge == null || !defaultBridge.matches("[a-zA-Z0-9_.-]{1,15}")) {
            throw new InvalidNetworkRequestException("invalid bridge device name: " + defaultBridge + " (at most 15 characters)");
        }
        if (nftTable == null || !nftTable.matches("[A-Za-z][A-Za-z0-9_]{0,30}")) {
            throw new InvalidNetworkRequestException("invalid nftables table name: " + nftTable);
        }
        dnsUpstreams = List.copyOf(dnsUpstreams);
    }

    /** Table {@code ip berth}, default bridge berth0, forwarding to the resolvers of the host's /etc/resolv.conf. */
    public static NetworkOptions defaults(Path stateDir) {
        return new NetworkOptions(stateDir, "berth", "berth0", Upstreams.ofHost());
    }
}
