package dev.berth.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * IPv4 address management, pure: which subnet a new network gets, whether a requested one is
 * sound, and which address a new endpoint gets. The leases themselves are the endpoints persisted
 * with each network, so releasing an address is removing its endpoint.
 */
public final class Ipam {
    /**
     * docker's default address pools (libnetwork ipamutils: 172.17.0.0/16 to 172.31.0.0/16 as /16s,
     * then 192.168.0.0/16 as /20s), in order; a new network takes the first that overlaps nothing
     * the host routes or has addresses in, and no other network of ours.
     */
    public static List<Subnet> defaultPools() {
        List<Subnet> pools = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            pools.add(Subnet.parse("172." + b + ".0.0/16"));
        }
        for (int c = 0; c < 256; c += 16) {
            pools.add(Subnet.parse("192.168." + c + ".0/20"));
        }
        return pools;
    }

    private Ipam() {}

    /** The first default pool that overlaps none of {@code inUse}. */
    public static Subnet chooseSubnet(Collection<Subnet> inUse) {
        return defaultPools().stream()
                .filter(p -> inUse.stream().noneMatch(p::overlaps))
                .findFirst()
                .orElseThrow(() -> new NetworkConflictException(
                        "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network"));
    }

    /**
     * Checks a user's --subnet/--gateway/--ip-range against each other and against the subnets of
     * our other networks ({@code ours}). Returns the gateway: the one given, or the first address.
     */
    public static Ipv4 validate(Subnet subnet, Ipv4 gateway, Subnet ipRange, Collection<Subnet> ours) {
        if (subnet.prefix() > 30) {
            throw new InvalidNetworkRequestException("subnet " + subnet + " is too small: it leaves no address for a container");
        }
        for (Subnet other : ours) {
            if (other.overlaps(subnet)) {
                throw new NetworkConflictException("Pool overlaps with other one on this address space: " + subnet + " overlaps " + other);
            }
        }
        if (ipRange != null && !ipRange.within(subnet)) {
            throw new InvalidNetworkRequestException("ip-range " + ipRange + " is not within subnet " + subnet);
        }
        Ipv4 gw = gateway == null ? subnet.address().plus(1) : gateway;
        if (!subnet.contains(gw) || gw.equals(subnet.address()) || gw.equals(subnet.last())) {
            throw new InvalidNetworkRequestException("gateway " + gw + " is not a host address of subnet " + subnet);
        }
        return gw;
    }

    /**
     * An address for a new endpoint: {@code wanted} if given (it must be a free host address of the
     * subnet), else the lowest free host address of {@code ipRange} (or of the subnet). Never the
     * network address, the broadcast address or the gateway.
     */
    public static Ipv4 allocate(Subnet subnet, Ipv4 gateway, Subnet ipRange, Set<Ipv4> leased, Optional<Ipv4> wanted) {
        if (wanted.isPresent()) {
            Ipv4 ip = wanted.get();
            if (!subnet.contains(ip) || ip.equals(subnet.address()) || ip.equals(subnet.last())) {
                throw new InvalidNetworkRequestException("no configured subnet contains IP address " + ip
                        + " (the network's subnet is " + subnet + ")");
            }
            if (ip.equals(gateway) || leased.contains(ip)) {
                throw new NetworkConflictException("Address already in use: " + ip);
            }
            return ip;
        }
        Subnet range = ipRange == null ? subnet : ipRange;
        for (long i = 0; i < range.size(); i++) {
            Ipv4 ip = range.address().plus(i);
            if (ip.equals(subnet.address()) || ip.equals(subnet.last()) || ip.equals(gateway) || leased.contains(ip)) {
                continue;
            }
            return ip;
        }
        throw new NetworkConflictException("no available IPv4 addresses on this network's address pools: " + range);
    }
}
