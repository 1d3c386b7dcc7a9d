package dev.berth.network;

import java.util.Map;

/**
 * What `docker network create` asks for. {@code subnet}, {@code gateway} and {@code ipRange} may
 * be null: IPAM then picks a free subnet from the default pools, the gateway is the subnet's first
 * address and containers get addresses from the whole subnet.
 *
 * @param internal no traffic in or out of the network except between its own containers
 *     (docker's --internal): no masquerade, no published ports, forward drop both ways
 */
public record NetworkSpec(String name, Subnet subnet, Ipv4 gateway, Subnet ipRange, boolean internal,
        Map<String, String> labels) {
    public NetworkSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A network with every address choice left to IPAM. */
    public static NetworkSpec named(String name) {
        return new NetworkSpec(name, null, null, null, false, Map.of());
    }
}
