package dev.berth.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel switches bridge networking needs (Documentation/networking/ip-sysctl.rst). */
final class Sysctls {
    private Sysctls() {}

    /**
     * net.ipv4.ip_forward=1: without it the host routes nothing between a bridge and the outside
     * (or between bridges). Like dockerd we turn it on and never back off: other software may
     * rely on it by then.
     */
    static void enableForwarding() {
        write(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
    }

    /**
     * net.ipv4.conf.BRIDGE.route_localnet=1: lets a packet with a 127.0.0.0/8 source leave through
     * the bridge, which a published port reached on 127.0.0.1 does after the output chain's DNAT
     * (the postrouting masquerade then gives it the bridge's address).
     */
    static void allowLocalnetRouting(String bridge) {
        write(Path.of("/proc/sys/net/ipv4/conf", bridge, "route_localnet"), "1");
    }

    private static void write(Path file, String value) {
        try {
            if (!Files.readString(file).strip().equals(value)) {
                Files.writeString(file, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("setting " + file + " to " + value, e);
        }
    }
}
