package dev.berth.network.netlink;

/**
 * A network interface as RTM_NEWLINK describes it: index, name, whether IFF_UP is set, its MAC
 * (IFLA_ADDRESS, empty for links without one), the index of its master (a bridge; 0 if none) and
 * its kind (IFLA_INFO_KIND: "bridge", "veth"; empty for physical devices and lo).
 */
public record Link(int index, String name, boolean up, byte[] mac, int masterIndex, String kind) {}
