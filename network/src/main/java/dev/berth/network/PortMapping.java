package dev.berth.network;

/**
 * A published port as made: host address (null: all), the host port actually used, the
 * container's address and port, the protocol. What `docker port` and NetworkSettings.Ports show.
 */
public record PortMapping(Ipv4 hostIp, int hostPort, Ipv4 containerIp, int containerPort, PortBinding.Protocol protocol) {
    @Override
    public String toString() {
        return (hostIp == null ? "0.0.0.0" : hostIp) + ":" + hostPort + " -> " + containerIp + ":" + containerPort + "/" + protocol;
    }
}
