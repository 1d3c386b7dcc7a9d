package dev.berth.network.netlink;

import dev.berth.network.Ipv4;
import java.util.HexFormat;

/** MAC addresses: text form, and the one docker derives from an IPv4 address. */
public final class Macs {
    private Macs() {}

    public static String format(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    /**
     * 02:42 followed by the four address bytes, as docker does (libnetwork netutils.GenerateMACFromIP):
     * locally administered (bit 1 of the first byte), unicast, and unique per address on a network.
     */
    public static byte[] fromIp(Ipv4 ip) {
        byte[] a = ip.bytes();
        return new byte[] {0x02, 0x42, a[0], a[1], a[2], a[3]};
    }
}
