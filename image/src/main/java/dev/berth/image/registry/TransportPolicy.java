package dev.berth.image.registry;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Which scheme and host a registry is spoken to with. Like dockerd: plain http for loopback
 * registries (docker treats 127.0.0.0/8 as insecure by default, and "localhost" too) and for
 * those the user lists as insecure ("host", "host:port", or a CIDR that an IP literal host falls
 * in, as daemon.json's insecure-registries); https for every other.
 * Docker Hub's names (docker.io, index.docker.io) are served by registry-1.docker.io.
 */
public final class TransportPolicy {
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final List<String> insecure;

    public TransportPolicy(List<String> insecureRegistries) {
        this.insecure = insecureRegistries.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    public static boolean isDockerHub(String registry) {
        String r = registry.toLowerCase(Locale.ROOT);
        return r.equals("docker.io") || r.equals("index.docker.io") || r.equals(DOCKER_HUB_API);
    }

    /** The base URI of the registry's API, e.g. http://127.0.0.1:5000 (no trailing slash). */
    public URI baseUri(String registry) {
        String host = isDockerHub(registry) ? DOCKER_HUB_API : registry;
        return URI.create((isInsecure(host) ? "http" : "https") + "://" + host);
    }

    public boolean isInsecure(String registry) {
        String r = registry.toLowerCase(Locale.ROOT);
        String host = hostPart(r);
        if (isLoopback(host)) {
            return true;
        }
        for (String entry : insecure) {
            if (entry.equals(r) || entry.equals(host)) {
                return true;
            }
            if (entry.contains("/") && inCidr(host, entry)) {
                return true;
            }
        }
        return false;
    }

    /** "localhost", 127.0.0.0/8 and ::1, recognised from the literal (no DNS lookup). */
    static boolean isLoopback(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        byte[] ip = ipLiteral(host);
        return ip != null && (ip.length == 4 ? ip[0] == 127 : isIpv6Loopback(ip));
    }

    private static boolean isIpv6Loopback(byte[] ip) {
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[15] == 1;
    }

    /** "host:port" -> "host"; "[::1]:5000" -> "::1". */
    static String hostPart(String registry) {
        if (registry.startsWith("[")) {
            int end = registry.indexOf(']');
            return end < 0 ? registry : registry.substring(1, end);
        }
        int colon = registry.indexOf(':');
        // More than one colon and no brackets: a bare IPv6 literal.
        if (colon >= 0 && registry.indexOf(':', colon + 1) < 0) {
            return registry.substring(0, colon);
        }
        return registry;
    }

    private static boolean inCidr(String host, String cidr) {
        byte[] ip = ipLiteral(host);
        int slash = cidr.indexOf('/');
        byte[] net = ipLiteral(cidr.substring(0, slash));
        if (ip == null || net == null || ip.length != net.length) {
            return false;
        }
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        for (int i = 0; i < ip.length * 8 && i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((ip[i / 8] & mask) != (net[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address bytes if {@code host} is an IPv4 or IPv6 literal, else null (never resolves names). */
    private static byte[] ipLiteral(String host) {
        boolean v4 = host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = host.contains(":") && host.matches("[0-9a-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
