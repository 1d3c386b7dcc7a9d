package dev.berth.network;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Host ports for published ports. A port is held by a socket bound to it (bound, never listening
 * or read: the DNAT rules take the traffic before it could reach the socket) for as long as it
 * is published, as docker's port allocator does, so that the port cannot be taken by a host
 * process afterwards and a port some process already has is refused up front. The socket is
 * bound without SO_REUSEADDR, so even a process that sets it cannot share the port (socket(7)).
 * A port not asked for (0) is one the kernel hands out as free.
 */
final class HostPorts implements Closeable {
    private final Map<PortMapping, NetworkChannel> held = new HashMap<>();

    /** Reserves {@code want} (host port 0: any free one) and returns the host port it got. */
    synchronized int reserve(PortBinding want, Collection<PortMapping> published) {
        for (PortMapping p : published) {
            if (p.protocol() == want.protocol() && p.hostPort() == want.hostPort() && want.hostPort() != 0
                    && (p.hostIp() == null || want.hostIp() == null || p.hostIp().equals(want.hostIp()))) {
                throw new NetworkConflictException("Bind for " + address(want.hostIp()) + ":" + want.hostPort()
                        + " failed: port is already allocated");
            }
        }
        try {
            NetworkChannel ch = bind(want.hostIp(), want.hostPort(), want.protocol());
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            held.put(new PortMapping(want.hostIp(), port, null, 0, want.protocol()), ch);
            return port;
        } catch (IOException e) {
            throw new NetworkConflictException("Bind for " + address(want.hostIp()) + ":" + want.hostPort()
                    + " failed: port is already allocated (" + e.getMessage() + ")");
        }
    }

    /** Holds a port published before a restart again; false when something else has it by now. */
    synchronized boolean rehold(PortMapping p) {
        try {
            held.put(key(p), bind(p.hostIp(), p.hostPort(), p.protocol()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    synchronized void release(PortMapping p) {
        NetworkChannel ch = held.remove(key(p));
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        for (NetworkChannel ch : held.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing: nothing to do about it
            }
        }
        held.clear();
    }

    private static PortMapping key(PortMapping p) {
        return new PortMapping(p.hostIp(), p.hostPort(), null, 0, p.protocol());
    }

    private static NetworkChannel bind(Ipv4 ip, int port, PortBinding.Protocol protocol) throws IOException {
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByAddress(ip == null ? new byte[4] : ip.bytes()), port);
        NetworkChannel ch = protocol == PortBinding.Protocol.udp
                ? DatagramChannel.open(java.net.StandardProtocolFamily.INET)
                : SocketChannel.open(java.net.StandardProtocolFamily.INET);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            ch.bind(at);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private static String address(Ipv4 ip) {
        return ip == null ? "0.0.0.0" : ip.toString();
    }
}
