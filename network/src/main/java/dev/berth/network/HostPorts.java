package dev.berth.network;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;

/**
 * Host ports for published ports: a port asked for must not be published by another endpoint of
 * ours nor be bound by a process on the host (a probe bind finds that out, as docker's port
 * allocator does); a port not asked for (0) is one the kernel hands out as free (bind to 0).
 */
final class HostPorts {
    private HostPorts() {}

    static int choose(PortBinding want, Collection<PortMapping> published) {
        for (PortMapping p : published) {
            if (p.protocol() == want.protocol() && p.hostPort() == want.hostPort() && want.hostPort() != 0
                    && (p.hostIp() == null || want.hostIp() == null || p.hostIp().equals(want.hostIp()))) {
                throw new NetworkConflictException("Bind for " + address(want) + ":" + want.hostPort()
                        + " failed: port is already allocated");
            }
        }
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(
                    want.hostIp() == null ? new byte[4] : want.hostIp().bytes()), want.hostPort());
            if (want.protocol() == PortBinding.Protocol.udp) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(at);
                    return s.getLocalPort();
                }
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(at);
                return s.getLocalPort();
            }
        } catch (IOException e) {
            throw new NetworkConflictException("Bind for " + address(want) + ":" + want.hostPort()
                    + " failed: port is already allocated (" + e.getMessage() + ")");
        }
    }

    private static String address(PortBinding b) {
        return b.hostIp() == null ? "0.0.0.0" : b.hostIp().toString();
    }
}
