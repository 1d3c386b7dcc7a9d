package dev.berth.network;

import java.util.List;

/**
 * One container's attachment to one network, as docker's EndpointSettings reports it: its id
 * (64 hex, docker's EndpointID), the
 * address (its IPAM lease) with the network's prefix length, the gateway, the MAC, the veth end
 * left on the host (in the bridge) and the name of the end inside the container (eth0, eth1...),
 * the DNS aliases, and the published ports with the host ports actually bound. {@code netns} is
 * the namespace file it was connected with and {@code dnsServers} the container's --dns servers,
 * kept so that a restarted daemon can serve DNS there again.
 */
public record Endpoint(String id, String networkId, String containerId, String containerName, String netns, Ipv4 ip, int prefixLength,
        Ipv4 gateway, String mac, String hostInterface, String containerInterface, List<String> aliases,
        List<PortMapping> ports, List<Ipv4> dnsServers) {
    public Endpoint {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }
}
