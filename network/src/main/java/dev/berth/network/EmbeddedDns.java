package dev.berth.network;

import dev.berth.network.dns.DnsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The embedded DNS servers of the containers on user-defined networks, one per container, and
 * the names they answer. docker's default bridge has none (its containers get the host's
 * resolv.conf); every user-defined network has.
 */
final class EmbeddedDns implements AutoCloseable {
    private final Supplier<Collection<Network>> networks;
    private final List<InetSocketAddress> defaultUpstreams;
    private final Map<String, DnsServer> servers = new ConcurrentHashMap<>();

    /** @param networks the current networks, read by the servers' threads at each query */
    EmbeddedDns(Supplier<Collection<Network>> networks, List<InetSocketAddress> defaultUpstreams) {
        this.networks = networks;
        this.defaultUpstreams = defaultUpstreams;
    }

    static boolean serves(Network n) {
        return n != null && !n.name().equals(Networks.DEFAULT_NETWORK);
    }

    /** Starts the server of the endpoint's container unless it has one. */
    void ensure(Endpoint e) {
        servers.computeIfAbsent(e.containerId(), id -> DnsServer.start(Path.of(e.netns()), e.containerName(),
                name -> resolve(id, name), upstreams(e.dnsServers())));
    }

    /** Stops the container's server once it is on no user-defined network. */
    void stopUnlessNeeded(String containerId) {
        boolean needed = networks.get().stream().anyMatch(n -> serves(n) && n.endpoint(containerId).isPresent());
        if (!needed) {
            DnsServer s = servers.remove(containerId);
            if (s != null) {
                s.close();
            }
        }
    }

    /**
     * After a restart: serves again in the netns of every container on a user-defined network. A
     * netns file that is gone, or is the daemon's own netns now (a reused pid), gets none.
     */
    void restartAll() {
        for (Network n : networks.get()) {
            if (!serves(n)) {
                continue;
            }
            for (Endpoint e : n.endpoints()) {
                if (e.netns() == null || !Files.exists(Path.of(e.netns()))) {
                    continue;
                }
                try {
                    // a /proc/PID/ns/net whose pid now is a host process must not get 127.0.0.11:53
                    Networks.refuseOwnNetns(Path.of(e.netns()));
                    ensure(e);
                } catch (RuntimeException ignored) {
                    // no DNS for that one; its networking is otherwise unaffected
                }
            }
        }
    }

    /**
     * What container {@code containerId}'s server answers for {@code name}: the addresses of the
     * containers on the user-defined networks it is on whose name, alias, short (12-character) or
     * full id it is. Empty when none: the name is then forwarded upstream.
     */
    List<Ipv4> resolve(String containerId, String name) {
        String want = (name.endsWith(".") ? name.substring(0, name.length() - 1) : name).toLowerCase(Locale.ROOT);
        List<Ipv4> out = new ArrayList<>();
        for (Network n : networks.get()) {
            if (!serves(n) || n.endpoint(containerId).isEmpty()) {
                continue;
            }
            for (Endpoint e : n.endpoints()) {
                String id = e.containerId().toLowerCase(Locale.ROOT);
                boolean match = want.equalsIgnoreCase(stripSlash(e.containerName()))
                        || e.aliases().stream().anyMatch(want::equalsIgnoreCase)
                        || want.equals(id)
                        || want.length() == 12 && id.startsWith(want);
                if (match && !out.contains(e.ip())) {
                    out.add(e.ip());
                }
            }
        }
        return out;
    }

    private static String stripSlash(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }

    /** A container's --dns servers on port 53, or the daemon's upstreams when it has none. */
    private List<InetSocketAddress> upstreams(List<Ipv4> dns) {
        if (dns.isEmpty()) {
            return defaultUpstreams;
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (Ipv4 ip : dns) {
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(ip.bytes()), 53));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // four bytes are always an address
            }
        }
        return out;
    }

    @Override
    public void close() {
        servers.values().forEach(DnsServer::close);
        servers.clear();
    }
}
