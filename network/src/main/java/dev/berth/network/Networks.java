package dev.berth.network;

import dev.berth.network.firewall.Nftables;
import dev.berth.network.firewall.Ruleset;
import dev.berth.network.internal.Undo;
import dev.berth.network.netlink.Link;
import dev.berth.network.netlink.Macs;
import dev.berth.network.netlink.NetlinkException;
import dev.berth.network.netlink.Rtnetlink;
import dev.berth.sys.Fd;
import dev.berth.sys.Namespaces;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bridge networks: what the engine calls to create networks and to wire containers into them.
 *
 * <p>A network is a Linux bridge holding the gateway address, a subnet from {@link Ipam}, and
 * its share of our nftables table ({@link Ruleset}). Connecting a container makes a veth pair
 * with one end in the bridge and the other, ethN with the endpoint's MAC, made directly in the
 * container's netns, where it gets the address and (for the first network) the default route;
 * lo is set up there too. Every change is persisted ({@link NetworkStore}) before the firewall is
 * re-derived from the persisted state, and every failure undoes what was done.
 *
 * <p>Containers on a user-defined network (not the default "bridge", as in docker) get an
 * embedded DNS server ({@link EmbeddedDns}) at 127.0.0.11 in their netns, answering the names,
 * aliases and short ids of the containers they share a network with.
 *
 * <p>One instance per state dir; its methods are serialised.
 */
public final class Networks implements AutoCloseable {
    /** docker's name for the default network. */
    public static final String DEFAULT_NETWORK = "bridge";
    private static final String BRIDGE_PREFIX = "berth-", HOST_VETH_PREFIX = "bv";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetworkStore store;
    private final NetworkOptions options;
    private final Rtnetlink host;
    /** Concurrent: the DNS servers read it from their own threads, without the lock. */
    private final Map<String, Network> networks;
    private final EmbeddedDns dns;
    private final HostPorts hostPorts = new HostPorts();
    /** The ruleset last applied to our table, or null when unknown (at open, after a failure). */
    private String appliedRuleset;

    private Networks(NetworkStore store, NetworkOptions options, Rtnetlink host, Map<String, Network> networks) {
        this.store = store;
        this.options = options;
        this.host = host;
        this.networks = new ConcurrentHashMap<>(networks);
        this.dns = new EmbeddedDns(this.networks::values, options.dnsUpstreams());
    }

    /**
     * Loads the networks persisted in {@code stateDir} and makes the kernel match them: a bridge
     * missing (after a reboot, or a crash between saving a network and making its bridge) is
     * re-created; an endpoint whose host veth is gone is dropped and its lease released (its
     * container's netns went away, taking the pair with it, or a crash stopped the connect before
     * the veth was made); then the nftables table {@code ip <nftTable>} is re-derived and the DNS
     * servers of the remaining endpoints restarted.
     *
     * <p>Why state is written before the kernel objects are made: a crash then leaves a record
     * whose object is missing, which this method repairs, never an object nobody knows about.
     */
    public static Networks open(NetworkOptions options) {
        NetworkStore store = new NetworkStore(options.stateDir());
        Rtnetlink host = Rtnetlink.open();
        try {
            Networks n = new Networks(store, options, host, store.load());
            for (Network net : List.copyOf(n.networks.values())) {
                n.repairBridge(net);
                List<Endpoint> alive = net.endpoints().stream().filter(e -> host.link(e.hostInterface()).isPresent()).toList();
                if (alive.size() != net.endpoints().size()) {
                    Network pruned = net.withEndpoints(alive);
                    store.save(pruned);
                    n.networks.put(net.id(), pruned);
                }
            }
            if (!n.networks.isEmpty()) {
                n.applyFirewall();
            }
            n.publishedPorts().forEach(n.hostPorts::rehold);
            n.dns.restartAll();
            return n;
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** {@link #open(NetworkOptions)} with {@link NetworkOptions#defaults}. */
    public static Networks open(Path stateDir) {
        return open(NetworkOptions.defaults(stateDir));
    }

    // ---- networks

    /** docker network create. */
    public synchronized Network create(NetworkSpec spec) {
        String id = HexFormat.of().formatHex(randomBytes(32));
        return create(spec, id, BRIDGE_PREFIX + id.substring(0, 9));
    }

    /** The default network ("bridge", on the device {@link NetworkOptions#defaultBridge()}), created on first use. */
    public synchronized Network defaultNetwork() {
        return find(DEFAULT_NETWORK).orElseGet(() ->
                create(NetworkSpec.named(DEFAULT_NETWORK), HexFormat.of().formatHex(randomBytes(32)), options.defaultBridge()));
    }

    private Network create(NetworkSpec spec, String id, String bridge) {
        if (spec.name() == null || !spec.name().matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new InvalidNetworkRequestException("invalid network name \"" + spec.name()
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (networks.values().stream().anyMatch(n -> n.name().equals(spec.name()))) {
            throw new NetworkConflictException("network with name " + spec.name() + " already exists");
        }
        List<Subnet> ours = networks.values().stream().map(Network::subnet).toList();
        Subnet subnet = spec.subnet();
        if (subnet == null) {
            if (spec.gateway() != null || spec.ipRange() != null) {
                throw new InvalidNetworkRequestException("a gateway or ip-range needs a subnet");
            }
            List<Subnet> taken = new ArrayList<>(ours);
            taken.addAll(hostSubnets());
            subnet = Ipam.chooseSubnet(taken);
        }
        Ipv4 gateway = Ipam.validate(subnet, spec.gateway(), spec.ipRange(), ours);
        Network net = new Network(id, spec.name(), bridge, subnet, gateway, spec.ipRange(), spec.internal(),
                spec.labels(), Instant.now().toString(), List.of());
        Undo undo = new Undo();
        try {
            store.save(net);
            undo.push(() -> store.delete(id));
            makeBridge(net, undo);
            networks.put(id, net);
            undo.push(() -> networks.remove(id));
            applyFirewall();
            return net;
        } catch (RuntimeException e) {
            throw undo.rollback(e);
        }
    }

    /**
     * The bridge with the gateway address, up, allowed to route 127.0.0.1 DNATed traffic. A bridge
     * of that name already there (left by a daemon whose state is gone) is taken over, as dockerd
     * takes over docker0; any other kind of device by that name is a clear error.
     */
    private void makeBridge(Network net, Undo undo) {
        Optional<Link> existing = host.link(net.bridge());
        if (existing.isEmpty()) {
            host.createBridge(net.bridge());
            undo.push(() -> host.deleteLink(net.bridge()));
        } else if (!"bridge".equals(existing.get().kind())) {
            throw new NetworkConflictException("cannot create bridge " + net.bridge() + ": a "
                    + (existing.get().kind().isEmpty() ? "device" : existing.get().kind() + " device") + " of that name exists");
        }
        boolean hasGateway = existing.isPresent() && host.addresses().stream()
                .anyMatch(a -> a.linkIndex() == existing.get().index() && a.address().equals(net.gateway()));
        if (!hasGateway) {
            host.addAddress(net.bridge(), net.gateway(), net.subnet().prefix());
        }
        host.setUp(net.bridge());
        Sysctls.allowLocalnetRouting(net.bridge());
        Sysctls.enableForwarding();
    }

    /**
     * At open: the bridge as makeBridge leaves it, whatever happened meanwhile. Missing (a reboot,
     * or a crash between saving the network and making it): made again. There but without its
     * gateway address or down (someone's `ip` command): fixed.
     */
    private void repairBridge(Network net) {
        Optional<Link> bridge = host.link(net.bridge());
        if (bridge.isEmpty()) {
            makeBridge(net, new Undo());
            return;
        }
        boolean hasGateway = host.addresses().stream()
                .anyMatch(a -> a.linkIndex() == bridge.get().index() && a.address().equals(net.gateway()));
        if (!hasGateway) {
            host.addAddress(net.bridge(), net.gateway(), net.subnet().prefix());
        }
        if (!bridge.get().up()) {
            host.setUp(net.bridge());
        }
        Sysctls.allowLocalnetRouting(net.bridge());
        Sysctls.enableForwarding();
    }

    /** A network by full id, name, or unique id prefix (docker's lookup order). */
    public synchronized Optional<Network> find(String nameOrId) {
        if (networks.containsKey(nameOrId)) {
            return Optional.of(networks.get(nameOrId));
        }
        Optional<Network> byName = networks.values().stream().filter(n -> n.name().equals(nameOrId)).findFirst();
        if (byName.isPresent() || nameOrId.isEmpty()) {
            return byName;
        }
        List<Network> byPrefix = networks.values().stream().filter(n -> n.id().startsWith(nameOrId)).toList();
        return byPrefix.size() == 1 ? Optional.of(byPrefix.get(0)) : Optional.empty();
    }

    public synchronized Network get(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> new NetworkNotFoundException("network " + nameOrId + " not found"));
    }

    /** Oldest first. */
    public synchronized List<Network> list() {
        return networks.values().stream().sorted(Comparator.comparing(Network::created).thenComparing(Network::name)).toList();
    }

    /** docker network rm: refused (409) while containers are connected. */
    public synchronized void remove(String nameOrId) {
        Network net = get(nameOrId);
        if (!net.endpoints().isEmpty()) {
            throw new NetworkConflictException("error while removing network: network " + net.name() + " id " + net.id()
                    + " has active endpoints (" + String.join(", ", net.endpoints().stream().map(Endpoint::containerName).toList()) + ")");
        }
        networks.remove(net.id());
        try {
            applyFirewall();
        } catch (RuntimeException e) {
            networks.put(net.id(), net);
            throw e;
        }
        // Bridge first: a crash in between leaves the record, and open() re-creates its bridge.
        deleteLinkIfPresent(net.bridge());
        store.delete(net.id());
    }

    /**
     * docker network prune: removes every network without endpoints except the default one, and
     * returns their names. Networks are removed one by one; one that fails stops the prune with
     * those before it gone.
     */
    public synchronized List<String> prune() {
        List<String> removed = new ArrayList<>();
        for (Network n : list()) {
            if (n.endpoints().isEmpty() && !n.name().equals(DEFAULT_NETWORK)) {
                remove(n.id());
                removed.add(n.name());
            }
        }
        return removed;
    }

    // ---- endpoints

    /** docker network connect: wires the container's netns into the network; returns the endpoint. */
    public synchronized Endpoint connect(ConnectRequest req) {
        Network net = get(req.network());
        if (net.endpoint(req.containerId()).isPresent()) {
            throw new NetworkConflictException("container " + req.containerName() + " is already connected to network " + net.name());
        }
        refuseOwnNetns(req.netns());
        if (net.name().equals(DEFAULT_NETWORK) && req.ip() != null) {
            throw new InvalidNetworkRequestException("user specified IP address is supported on user defined networks only");
        }
        if (net.name().equals(DEFAULT_NETWORK) && !req.aliases().isEmpty()) {
            throw new InvalidNetworkRequestException("network-scoped alias is supported only for containers in user defined networks");
        }
        Set<Ipv4> leased = new HashSet<>();
        net.endpoints().forEach(e -> leased.add(e.ip()));
        Ipv4 ip = Ipam.allocate(net.subnet(), net.gateway(), net.ipRange(), leased, Optional.ofNullable(req.ip()));
        if (!req.ports().isEmpty() && net.internal()) {
            throw new InvalidNetworkRequestException("ports cannot be published on internal network " + net.name());
        }

        String suffix = HexFormat.of().formatHex(randomBytes(6));
        String hostEnd = HOST_VETH_PREFIX + suffix;
        byte[] mac = Macs.fromIp(ip);
        Undo undo = new Undo();
        try (Fd netns = Namespaces.open(req.netns()); Rtnetlink inside = Rtnetlink.openIn(req.netns())) {
            List<PortMapping> ports = new ArrayList<>();
            for (PortBinding b : req.ports()) {
                List<PortMapping> all = new ArrayList<>(publishedPorts());
                all.addAll(ports);
                PortMapping p = new PortMapping(b.hostIp(), hostPorts.reserve(b, all), ip, b.containerPort(), b.protocol());
                undo.push(() -> hostPorts.release(p));
                ports.add(p);
            }
            String ifname = freeInterfaceName(inside.links());
            Endpoint ep = new Endpoint(HexFormat.of().formatHex(randomBytes(32)), net.id(), req.containerId(), req.containerName(),
                    req.netns().toString(), ip, net.subnet().prefix(), net.gateway(), Macs.format(mac), hostEnd, ifname,
                    req.aliases(), ports, req.dnsServers());
            List<Endpoint> eps = new ArrayList<>(net.endpoints());
            eps.add(ep);
            Network updated = net.withEndpoints(eps);
            // The lease is on disk before the veth exists: after a crash, open() finds no veth and releases it.
            store.save(updated);
            undo.push(() -> store.save(net));

            host.createVethPairInto(hostEnd, net.bridge(), ifname, netns, mac);
            // Deleting the host end deletes the pair, wherever the peer is.
            undo.push(() -> deleteLinkIfPresent(hostEnd));
            inside.addAddress(ifname, ip, net.subnet().prefix());
            inside.setUp(ifname);
            inside.setUp("lo");
            // The first network gives the default route, as in docker; later ones only their subnet.
            if (inside.routes().stream().noneMatch(r -> r.destination().prefix() == 0 && r.table() == 254)) {
                inside.addDefaultRoute(net.gateway());
            }

            networks.put(net.id(), updated);
            undo.push(() -> networks.put(net.id(), net));
            applyFirewall();
            undo.push(() -> {
                networks.put(net.id(), net);
                applyFirewall();
            });
            if (EmbeddedDns.serves(updated)) {
                dns.ensure(ep);
            }
            return ep;
        } catch (RuntimeException e) {
            throw undo.rollback(e);
        }
    }

    /**
     * docker network disconnect: removes the veth pair (so the container loses the interface),
     * the lease and the endpoint's port rules. A container whose netns is already gone (its veth
     * went with it) is disconnected all the same.
     */
    public synchronized void disconnect(String network, String containerId) {
        Network net = get(network);
        Endpoint ep = net.endpoint(containerId).orElseThrow(() ->
                new NetworkNotFoundException("container " + containerId + " is not connected to network " + net.name()));
        Network updated = net.withEndpoints(net.endpoints().stream().filter(e -> e != ep).toList());
        networks.put(net.id(), updated);
        try {
            applyFirewall();
        } catch (RuntimeException e) {
            networks.put(net.id(), net);
            throw e;
        }
        // The veth before the record: a crash in between leaves an endpoint without its veth, which open() drops.
        deleteLinkIfPresent(ep.hostInterface());
        store.save(updated);
        ep.ports().forEach(hostPorts::release);
        dns.stopUnlessNeeded(containerId);
    }

    /**
     * What the embedded DNS server of container {@code containerId} answers for {@code name}: the
     * addresses of the containers on the user-defined networks it is on whose name, alias, short
     * (12-character) or full id it is. Empty when none: the name is then forwarded upstream.
     */
    public List<Ipv4> resolve(String containerId, String name) {
        return dns.resolve(containerId, name);
    }

    /**
     * A connect into the daemon's own netns would put the container's address, lo and (on a host
     * without one) a default route on the host itself: refused. A netns file that cannot be read is
     * reported as what it is.
     */
    static void refuseOwnNetns(Path netns) {
        try {
            if (dev.berth.network.internal.NetnsIdentity.isOwn(netns)) {
                throw new InvalidNetworkRequestException(netns + " is the daemon's own network namespace, not a container's");
            }
        } catch (java.io.IOException e) {
            throw new InvalidNetworkRequestException("cannot use network namespace " + netns + ": " + e.getMessage());
        }
    }

    /**
     * A container was renamed: its endpoints answer to the new name in the embedded DNS from now
     * on (docker's rename keeps the container's address and connections).
     */
    public synchronized void rename(String containerId, String newName) {
        for (Network n : List.copyOf(networks.values())) {
            Optional<Endpoint> e = n.endpoint(containerId);
            if (e.isEmpty()) {
                continue;
            }
            Endpoint old = e.get();
            Endpoint renamed = new Endpoint(old.id(), old.networkId(), old.containerId(), newName, old.netns(), old.ip(),
                    old.prefixLength(), old.gateway(), old.mac(), old.hostInterface(), old.containerInterface(), old.aliases(),
                    old.ports(), old.dnsServers());
            Network updated = n.withEndpoints(n.endpoints().stream().map(x -> x == old ? renamed : x).toList());
            store.save(updated);
            networks.put(n.id(), updated);
        }
    }

    /** The endpoints of one container, on every network it is connected to. */
    public synchronized List<Endpoint> endpointsOf(String containerId) {
        return networks.values().stream().flatMap(n -> n.endpoint(containerId).stream()).toList();
    }

    /** Stops the DNS servers and closes the netlink socket; the kernel state stays as it is. */
    @Override
    public synchronized void close() {
        dns.close();
        hostPorts.close();
        host.close();
    }

    // ---- helpers

    private Collection<PortMapping> publishedPorts() {
        return networks.values().stream().flatMap(n -> n.endpoints().stream()).flatMap(e -> e.ports().stream()).toList();
    }

    /**
     * Makes our table match the networks. The ruleset depends on networks and published ports
     * only, so most connects and disconnects (no -p) leave it as it is, and then nothing is sent:
     * replacing the table costs ~10 ms (its base chains' hooks are unregistered and registered,
     * each waiting for an RCU grace period), the largest part of a connect otherwise.
     */
    private void applyFirewall() {
        String ruleset = Ruleset.of(options.nftTable(), list());
        if (!ruleset.equals(appliedRuleset)) {
            appliedRuleset = null; // unknown while the transaction runs: a failure must not look applied
            Nftables.run(ruleset);
            appliedRuleset = ruleset;
        }
    }

    /** Subnets the host already routes or has addresses in, which a new network must not overlap. */
    private List<Subnet> hostSubnets() {
        List<Subnet> out = new ArrayList<>();
        host.routes().stream().map(r -> r.destination()).filter(d -> d.prefix() > 0).forEach(out::add);
        host.addresses().forEach(a -> out.add(Subnet.containing(a.address(), a.prefixLength())));
        return out;
    }

    private void deleteLinkIfPresent(String name) {
        try {
            host.deleteLink(name);
        } catch (NetlinkException e) {
            if (!e.errno().name().equals("ENODEV")) {
                throw e;
            }
        }
    }

    private static String freeInterfaceName(List<Link> links) {
        Set<String> names = new HashSet<>();
        links.forEach(l -> names.add(l.name()));
        for (int i = 0; ; i++) {
            if (!names.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

}
