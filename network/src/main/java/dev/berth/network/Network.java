package dev.berth.network;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bridge network as created and persisted: its id (64 hex, like docker's), name, Linux bridge
 * device, subnet and gateway (the bridge's own address), the range containers get addresses from
 * ({@code ipRange}, null meaning the whole subnet), whether it is internal, its labels, when it
 * was created (RFC 3339), and the endpoints connected to it, whose addresses are the IPAM leases.
 */
public record Network(String id, String name, String bridge, Subnet subnet, Ipv4 gateway, Subnet ipRange,
        boolean internal, Map<String, String> labels, String created, List<Endpoint> endpoints) {
    public Network {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    public Optional<Endpoint> endpoint(String containerId) {
        return endpoints.stream().filter(e -> e.containerId().equals(containerId)).findFirst();
    }

    Network withEndpoints(List<Endpoint> newEndpoints) {
        return new Network(id, name, bridge, subnet, gateway, ipRange, internal, labels, created, newEndpoints);
    }
}
