package dev.berth.network;

/**
 * One `-p [hostIp:]hostPort:containerPort[/proto]` request. {@code hostIp} null means every host
 * address (0.0.0.0); {@code hostPort} 0 means "any free port", chosen when the endpoint is made.
 */
public record PortBinding(Ipv4 hostIp, int hostPort, int containerPort, Protocol protocol) {
    public enum Protocol {
        tcp, udp
    }

    public PortBinding {
        if (hostPort < 0 || hostPort > 65535) {
            throw new InvalidNetworkRequestException("invalid host port " + hostPort);
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw new InvalidNetworkRequestException("invalid container port " + containerPort);
        }
        if (protocol == null) {
            protocol = Protocol.tcp;
        }
    }

    public static PortBinding tcp(int hostPort, int containerPort) {
        return new PortBinding(null, hostPort, containerPort, Protocol.tcp);
    }
}
