package dev.berth.network.netlink;

import dev.berth.network.Ipv4;
import dev.berth.network.Subnet;
import java.util.Optional;

/**
 * An IPv4 route (RTM_NEWROUTE): destination prefix (0.0.0.0/0 for a default route), gateway if
 * any, output interface index (0 if none) and routing table (254 is main).
 */
public record RouteEntry(Subnet destination, Optional<Ipv4> gateway, int outputIndex, int table) {}
