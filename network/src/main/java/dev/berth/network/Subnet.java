package dev.berth.network;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An IPv4 prefix in CIDR notation (RFC 4632), always in canonical form: the host bits of
 * {@link #address()} are zero. "10.1.2.3/16" is refused rather than silently widened, as docker
 * does ("invalid subnet ... : it should be 10.1.0.0/16").
 */
public record Subnet(Ipv4 address, int prefix) {
    public Subnet {
        if (prefix < 0 || prefix > 32) {
            throw new InvalidNetworkRequestException("invalid prefix length /" + prefix);
        }
        if ((address.bits() & ~mask(prefix)) != 0) {
            throw new InvalidNetworkRequestException("invalid subnet " + address + "/" + prefix
                    + ": it should be " + new Ipv4(address.bits() & mask(prefix)) + "/" + prefix);
        }
    }

    @JsonCreator
    public static Subnet parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new InvalidNetworkRequestException("invalid CIDR address: " + cidr);
        }
        String len = cidr.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
            throw new InvalidNetworkRequestException("invalid CIDR address: " + cidr);
        }
        return new Subnet(Ipv4.parse(cidr.substring(0, slash)), Integer.parseInt(len));
    }

    /** The subnet of {@code prefix} bits that holds {@code address}. */
    public static Subnet containing(Ipv4 address, int prefix) {
        return new Subnet(new Ipv4(address.bits() & mask(prefix)), prefix);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public long size() {
        return 1L << (32 - prefix);
    }

    public Ipv4 last() {
        return address.plus(size() - 1);
    }

    public boolean contains(Ipv4 ip) {
        return (ip.bits() & mask(prefix)) == address.bits();
    }

    /** Whether this subnet lies wholly within {@code outer}. */
    public boolean within(Subnet outer) {
        return prefix >= outer.prefix && outer.contains(address);
    }

    /** Two prefixes overlap exactly when one contains the other's first address. */
    public boolean overlaps(Subnet other) {
        return contains(other.address) || other.contains(address);
    }

    /** The text form, which is also how state files store it. */
    @JsonValue
    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
