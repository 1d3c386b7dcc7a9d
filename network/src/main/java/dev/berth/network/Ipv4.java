package dev.berth.network;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An IPv4 address as its 32 bits (network order read as an unsigned number), so that subnet
 * arithmetic is integer arithmetic. No DNS lookups ever (unlike InetAddress.getByName).
 */
public record Ipv4(int bits) implements Comparable<Ipv4> {
    /** Parses dotted-quad text; anything else is an {@link InvalidNetworkRequestException}. */
    @JsonCreator
    public static Ipv4 parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new InvalidNetworkRequestException("invalid IPv4 address: " + text);
        }
        int bits = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new InvalidNetworkRequestException("invalid IPv4 address: " + text);
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new InvalidNetworkRequestException("invalid IPv4 address: " + text);
            }
            bits = bits << 8 | v;
        }
        return new Ipv4(bits);
    }

    public static Ipv4 of(byte[] fourBytes) {
        if (fourBytes.length != 4) {
            throw new IllegalArgumentException("an IPv4 address has 4 bytes, not " + fourBytes.length);
        }
        return new Ipv4((fourBytes[0] & 0xff) << 24 | (fourBytes[1] & 0xff) << 16 | (fourBytes[2] & 0xff) << 8 | fourBytes[3] & 0xff);
    }

    /** The address in network byte order, as netlink attributes carry it. */
    public byte[] bytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    public Ipv4 plus(long n) {
        return new Ipv4((int) (Integer.toUnsignedLong(bits) + n));
    }

    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    @Override
    public int compareTo(Ipv4 o) {
        return Integer.compareUnsigned(bits, o.bits);
    }

    /** The text form, which is also how state files store it. */
    @JsonValue
    @Override
    public String toString() {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }
}
