package dev.berth.network.netlink;

import dev.berth.network.Ipv4;

/** An IPv4 address on an interface (RTM_NEWADDR): which link, the address, its prefix length. */
public record AddressEntry(int linkIndex, Ipv4 address, int prefixLength) {}
