package dev.berth.network.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's resolvers, where the embedded DNS server forwards names it does not know. */
public final class Upstreams {
    private Upstreams() {}

    /**
     * The {@code nameserver} lines of a resolv.conf(5), each on port 53. Literal addresses only
     * (resolv.conf allows nothing else), so InetAddress does no lookup here.
     */
    public static List<InetSocketAddress> fromResolvConf(String text) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                try {
                    String addr = words[1].contains("%") ? words[1].substring(0, words[1].indexOf('%')) : words[1];
                    if (addr.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                        out.add(new InetSocketAddress(InetAddress.getByName(addr), 53));
                    }
                } catch (IOException e) {
                    // not an address: skip the line, as the libc resolver does
                }
            }
        }
        return out;
    }

    public static List<InetSocketAddress> ofHost() {
        try {
            return fromResolvConf(Files.readString(Path.of("/etc/resolv.conf")));
        } catch (IOException e) {
            return List.of();
        }
    }
}
