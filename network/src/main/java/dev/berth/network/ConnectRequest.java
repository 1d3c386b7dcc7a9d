package dev.berth.network;

import java.nio.file.Path;
import java.util.List;

/**
 * Attach a container to a network (`docker network connect`, or `docker run --network`).
 *
 * @param netns the container's network namespace file: /proc/PID/ns/net of its init, or a bind
 *     mount of it that outlives the process
 * @param ip a fixed address (--ip), or null for the next free one
 * @param aliases extra DNS names on this network (--alias)
 * @param ports ports to publish on the host (-p), DNATed to this endpoint's address
 * @param dnsServers the container's --dns servers: where its embedded DNS server forwards the
 *     names it does not know (port 53); empty for the host's resolvers. Used by the connect that
 *     starts the container's DNS server (its first to a user-defined network)
 */
public record ConnectRequest(String network, String containerId, String containerName, Path netns, Ipv4 ip,
        List<String> aliases, List<PortBinding> ports, List<Ipv4> dnsServers) {
    public ConnectRequest(String network, String containerId, String containerName, Path netns, Ipv4 ip,
            List<String> aliases, List<PortBinding> ports) {
        this(network, containerId, containerName, netns, ip, aliases, ports, List.of());
    }

    public ConnectRequest {
        if (network == null || network.isEmpty()) {
            throw new InvalidNetworkRequestException("no network given");
        }
        if (containerId == null || containerId.isEmpty()) {
            throw new InvalidNetworkRequestException("no container id given");
        }
        if (netns == null) {
            throw new InvalidNetworkRequestException("no network namespace given for container " + containerId);
        }
        if (containerName == null || containerName.isEmpty()) {
            containerName = containerId;
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
        dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
    }

    public static ConnectRequest of(String network, String containerId, Path netns) {
        return new ConnectRequest(network, containerId, containerId.substring(0, Math.min(12, containerId.length())),
                netns, null, List.of(), List.of());
    }
}
