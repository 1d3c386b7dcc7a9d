package dev.berth.engine.network;

import dev.berth.engine.EngineException;
import dev.berth.engine.config.DaemonConfig;
import dev.berth.engine.model.ContainerConfig;
import dev.berth.engine.model.HostConfig;
import dev.berth.network.ConnectRequest;
import dev.berth.network.ContainerFiles;
import dev.berth.network.Endpoint;
import dev.berth.network.InvalidNetworkRequestException;
import dev.berth.network.Ipv4;
import dev.berth.network.Network;
import dev.berth.network.NetworkConflictException;
import dev.berth.network.NetworkException;
import dev.berth.network.NetworkNotFoundException;
import dev.berth.network.NetworkOptions;
import dev.berth.network.Networks;
import dev.berth.network.PortBinding;
import dev.berth.network.PortMapping;
import dev.berth.network.dns.Upstreams;
import dev.berth.oci.image.ImageConfig;
import dev.berth.oci.runtime.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's side of the network module: what a container's NetworkMode, NetworkingConfig and
 * PortBindings mean (a {@link NetworkPlan}, decided at create), connecting it between the
 * runtime's create (its netns exists) and start, disconnecting it when it exits or is removed,
 * and its /etc/hosts and /etc/resolv.conf, rewritten in place (they are bind-mounted files) as
 * its addresses change. Network errors become the engine's typed errors.
 */
public final class ContainerNetworking implements AutoCloseable {
    static final String PLAN_FILE = "networks.json";

    private final Networks networks;
    private final NetworkOptions options;

    private ContainerNetworking(Networks networks, NetworkOptions options) {
        this.networks = networks;
        this.options = options;
    }

    /**
     * Opens the networks under dataRoot/network with the daemon's bridge and nft table, which
     * repairs what a restart or reboot left (see Networks.open), and makes the default "bridge"
     * network, as dockerd has docker0 from its start.
     */
    public static ContainerNetworking open(DaemonConfig config) {
        try {
            NetworkOptions options = new NetworkOptions(config.dataRootPath().resolve("network"), config.nftTableName(),
                    config.bridgeName(), Upstreams.ofHost());
            Networks networks = Networks.open(options);
            try {
                withHostLock(networks::defaultNetwork);
            } catch (RuntimeException e) {
                networks.close();
                throw e;
            }
            return new ContainerNetworking(networks, options);
        } catch (NetworkException e) {
            throw mapped(e);
        }
    }

    public Networks networks() {
        return networks;
    }

    public NetworkOptions options() {
        return options;
    }

    /** The mode a HostConfig asks for: "bridge" for none given or "default", as dockerd. */
    public static String mode(HostConfig hc) {
        String m = hc == null ? null : hc.networkMode();
        return m == null || m.isEmpty() || m.equals("default") ? Networks.DEFAULT_NETWORK : m;
    }

    // ---- create

    /**
     * Checks and records what the container will be connected to. Networks named must exist
     * (docker's 404), --ip and aliases only on user-defined networks, ports not with host,
     * none or container modes.
     */
    public NetworkPlan plan(ContainerConfig cfg, HostConfig hc, ImageConfig.Config image, Map<String, EndpointConfig> endpoints) {
        String mode = mode(hc);
        // The docker CLI names the default network "default" in EndpointsConfig too.
        Map<String, EndpointConfig> given = new LinkedHashMap<>();
        if (endpoints != null) {
            endpoints.forEach((k, v) -> given.put(k.equals("default") ? Networks.DEFAULT_NETWORK : k, v));
        }
        LinkedHashMap<String, EndpointConfig> nets = new LinkedHashMap<>();
        List<NetworkPlan.Port> ports = ports(cfg, hc, image);
        List<String> exposed = exposed(cfg, hc, image);
        if (mode.startsWith("container:")) {
            if (mode.length() == "container:".length()) {
                throw new EngineException(400, "invalid network mode: " + mode);
            }
            if (!ports.isEmpty() || (hc != null && hc.portBindings() != null && !hc.portBindings().isEmpty())) {
                throw new EngineException(400, "conflicting options: port publishing and the container type network mode");
            }
        } else if (mode.equals("host")) {
            ports = List.of(); // docker ignores published ports with the host's stack
        } else if (mode.equals("none")) {
            if (!ports.isEmpty()) {
                throw new EngineException(400, "conflicting options: port publishing and the container type network mode");
            }
        } else {
            Network first = network(mode);
            nets.put(first.name(), check(first, given.getOrDefault(mode, given.get(first.name()))));
            for (Map.Entry<String, EndpointConfig> e : given.entrySet()) {
                if (mode.equals(Networks.DEFAULT_NETWORK) && e.getKey().equals(Networks.DEFAULT_NETWORK)) {
                    continue;
                }
                Network n = network(e.getKey());
                if (!nets.containsKey(n.name())) {
                    nets.put(n.name(), check(n, e.getValue()));
                }
            }
        }
        return new NetworkPlan(mode, nets, ports, exposed);
    }

    private static EndpointConfig check(Network n, EndpointConfig c) {
        EndpointConfig cfg = c == null ? EndpointConfig.NONE : c;
        if (n.name().equals(Networks.DEFAULT_NETWORK)) {
            if (cfg.ipv4() != null) {
                throw new EngineException(400, "user specified IP address is supported on user defined networks only");
            }
            if (!cfg.aliasList().isEmpty()) {
                throw new EngineException(400, "network-scoped alias is supported only for containers in user defined networks");
            }
        } else if (cfg.ipv4() != null) {
            try {
                Ipv4 ip = Ipv4.parse(cfg.ipv4());
                if (!n.subnet().contains(ip)) {
                    throw new EngineException(400, "no configured subnet or ip-range contain the IP address " + cfg.ipv4());
                }
            } catch (InvalidNetworkRequestException e) {
                throw new EngineException(400, "invalid IPv4 address: " + cfg.ipv4());
            }
        }
        return cfg;
    }

    /** HostConfig.PortBindings, and with PublishAllPorts every exposed port not bound there on a free host port. */
    static List<NetworkPlan.Port> ports(ContainerConfig cfg, HostConfig hc, ImageConfig.Config image) {
        List<NetworkPlan.Port> out = new ArrayList<>();
        Set<String> bound = new LinkedHashSet<>();
        if (hc != null && hc.portBindings() != null) {
            for (Map.Entry<String, List<HostConfig.PortBinding>> e : hc.portBindings().entrySet()) {
                String key = portKey(e.getKey());
                bound.add(key);
                int containerPort = Integer.parseInt(key.substring(0, key.indexOf('/')));
                String proto = key.substring(key.indexOf('/') + 1);
                List<HostConfig.PortBinding> bindings = e.getValue() == null || e.getValue().isEmpty()
                        ? List.of(new HostConfig.PortBinding("", "")) : e.getValue();
                for (HostConfig.PortBinding b : bindings) {
                    String hostIp = b.hostIp() == null ? "" : b.hostIp();
                    if (hostIp.contains(":")) {
                        continue; // IPv6 ("::"): not served; its IPv4 twin carries the mapping
                    }
                    if (!hostIp.isEmpty() && !hostIp.equals("0.0.0.0")) {
                        try {
                            Ipv4.parse(hostIp);
                        } catch (RuntimeException ex) {
                            throw new EngineException(400, "invalid IP address: " + hostIp);
                        }
                    } else {
                        hostIp = "";
                    }
                    out.add(new NetworkPlan.Port(hostIp, hostPort(b.hostPort()), containerPort, proto));
                }
            }
        }
        if (hc != null && Boolean.TRUE.equals(hc.publishAllPorts())) {
            for (String key : exposed(cfg, null, image)) {
                if (bound.add(key)) {
                    out.add(new NetworkPlan.Port("", 0, Integer.parseInt(key.substring(0, key.indexOf('/'))),
                            key.substring(key.indexOf('/') + 1)));
                }
            }
        }
        return out;
    }

    /** The container's ports as docker lists them: exposed (Config and image) and published, "80/tcp". */
    static List<String> exposed(ContainerConfig cfg, HostConfig hc, ImageConfig.Config image) {
        Set<String> keys = new LinkedHashSet<>();
        if (image != null && image.exposedPorts() != null) {
            image.exposedPorts().keySet().forEach(k -> keys.add(portKey(k)));
        }
        if (cfg != null && cfg.exposedPorts() != null) {
            cfg.exposedPorts().keySet().forEach(k -> keys.add(portKey(k)));
        }
        if (hc != null && hc.portBindings() != null) {
            hc.portBindings().keySet().forEach(k -> keys.add(portKey(k)));
        }
        return List.copyOf(keys);
    }

    /** "80", "80/tcp", "53/udp" as "80/tcp" (docker's nat.Port), checked. */
    static String portKey(String spec) {
        String port = spec, proto = "tcp";
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            port = spec.substring(0, slash);
            proto = spec.substring(slash + 1).toLowerCase();
        }
        if (!proto.equals("tcp") && !proto.equals("udp")) {
            throw new EngineException(400, "invalid proto: " + proto);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p + "/" + proto;
        } catch (NumberFormatException e) {
            throw new EngineException(400, "invalid containerPort: " + port);
        }
    }

    private static int hostPort(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new EngineException(400, "invalid hostPort: " + s + " (port ranges are not supported)");
        }
    }

    public static void save(Path dir, NetworkPlan plan) throws IOException {
        dev.berth.sys.AtomicFile.write(dir.resolve(PLAN_FILE), Json.mapper().writeValueAsBytes(plan));
    }

    /** The plan of a container; one created before networking existed is on the default bridge. */
    public static NetworkPlan load(Path dir, HostConfig hc) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(dir.resolve(PLAN_FILE)), NetworkPlan.class);
        } catch (NoSuchFileException e) {
            String mode = mode(hc);
            LinkedHashMap<String, EndpointConfig> nets = new LinkedHashMap<>();
            if (!mode.equals("host") && !mode.equals("none") && !mode.startsWith("container:")) {
                nets.put(mode, EndpointConfig.NONE);
            }
            return new NetworkPlan(mode, nets, List.of(), List.of());
        } catch (IOException e) {
            throw new EngineException(500, "reading " + dir.resolve(PLAN_FILE) + ": " + e.getMessage(), e);
        }
    }

    // ---- start, exit, remove

    /**
     * Connects a container whose process exists (pid) but has not started to every network of
     * its plan; any failure disconnects those already made and is thrown. Then its /etc files
     * get its addresses.
     */
    public List<Endpoint> connectAll(String id, String name, int pid, Path dir, HostConfig hc, String hostname) {
        NetworkPlan plan = load(dir, hc);
        List<Endpoint> made = new ArrayList<>();
        if (plan.joinsNetworks()) {
            try {
                boolean first = true;
                for (Map.Entry<String, EndpointConfig> e : plan.networks().entrySet()) {
                    made.add(networks.connect(request(e.getKey(), id, name, pid, e.getValue(), first ? plan.ports() : List.of(), hc)));
                    first = false;
                }
            } catch (RuntimeException e) {
                for (Endpoint ep : made) {
                    disconnectQuietly(ep.networkId(), id);
                }
                throw mapped(e);
            }
        }
        writeEtcFiles(dir, hostname, plan, hc);
        return made;
    }

    private ConnectRequest request(String network, String id, String name, int pid, EndpointConfig cfg,
                                   List<NetworkPlan.Port> ports, HostConfig hc) {
        List<PortBinding> bindings = new ArrayList<>();
        for (NetworkPlan.Port p : ports) {
            bindings.add(new PortBinding(p.hostIp() == null || p.hostIp().isEmpty() ? null : Ipv4.parse(p.hostIp()),
                    p.hostPort(), p.containerPort(), PortBinding.Protocol.valueOf(p.protocol())));
        }
        List<Ipv4> dns = new ArrayList<>();
        if (hc != null && hc.dns() != null) {
            for (String s : hc.dns()) {
                try {
                    dns.add(Ipv4.parse(s));
                } catch (RuntimeException ignored) {
                    // an IPv6 resolver: not reachable from our IPv4-only networks
                }
            }
        }
        return new ConnectRequest(network, id, name, Path.of("/proc/" + pid + "/ns/net"),
                cfg.ipv4() == null ? null : Ipv4.parse(cfg.ipv4()), cfg.aliasList(), bindings, dns);
    }

    /** Disconnects the container from every network it is on (its exit, its removal); errors are logged. */
    public List<Endpoint> disconnectAll(String id) {
        List<Endpoint> eps = networks.endpointsOf(id);
        for (Endpoint ep : eps) {
            disconnectQuietly(ep.networkId(), id);
        }
        return eps;
    }

    /** docker's "network connect"/"disconnect" events of a container's endpoints. */
    public void publish(dev.berth.engine.events.Events events, String action, String containerId, List<Endpoint> eps) {
        for (Endpoint ep : eps) {
            String name = networks.find(ep.networkId()).map(Network::name).orElse("");
            events.publish("network", action, ep.networkId(), Map.of("container", containerId, "name", name, "type", "bridge"));
        }
    }

    private void disconnectQuietly(String network, String id) {
        try {
            networks.disconnect(network, id);
        } catch (RuntimeException e) {
            System.err.println("level=warning msg=\"disconnecting " + id + " from " + network + ": " + e.getMessage() + "\"");
        }
    }

    public List<Endpoint> endpointsOf(String id) {
        return networks.endpointsOf(id);
    }

    // ---- docker network connect / disconnect

    /**
     * Adds a network to the container's plan; a running one (pid > 0) is connected at once and
     * its /etc files rewritten.
     */
    public void connect(String id, String name, int pid, Path dir, HostConfig hc, String hostname, String network,
                        EndpointConfig cfg) throws IOException {
        NetworkPlan plan = load(dir, hc);
        if (!plan.joinsNetworks()) {
            throw new EngineException(400, switch (plan.mode()) {
                case "host" -> "container cannot be disconnected from host network or connected to host network";
                case "none" -> "container cannot be connected to multiple networks with one of the networks in private (none) mode";
                default -> "container sharing network namespace with another container or host cannot be connected to any other network";
            });
        }
        Network n = network(network);
        EndpointConfig c = check(n, cfg);
        if (plan.networks().containsKey(n.name()) && (pid <= 0 || networks.endpointsOf(id).stream().anyMatch(e -> e.networkId().equals(n.id())))) {
            throw new EngineException(403, "endpoint with name " + name + " already exists in network " + n.name());
        }
        LinkedHashMap<String, EndpointConfig> nets = new LinkedHashMap<>(plan.networks());
        nets.put(n.name(), c);
        if (pid > 0) {
            try {
                networks.connect(request(n.name(), id, name, pid, c, List.of(), hc));
            } catch (RuntimeException e) {
                throw mapped(e);
            }
        }
        NetworkPlan updated = plan.withNetworks(nets);
        save(dir, updated);
        writeEtcFiles(dir, hostname, updated, hc);
    }

    public void disconnect(String id, Path dir, HostConfig hc, String hostname, String network, boolean force) throws IOException {
        NetworkPlan plan = load(dir, hc);
        Network n = networks.find(network).orElse(null);
        if (n == null) {
            if (!force) {
                throw new EngineException(404, "network " + network + " not found");
            }
            return;
        }
        boolean connected = networks.endpointsOf(id).stream().anyMatch(e -> e.networkId().equals(n.id()));
        if (!plan.networks().containsKey(n.name()) && !connected) {
            throw new EngineException(400, "container " + id + " is not connected to network " + n.name());
        }
        if (connected) {
            try {
                networks.disconnect(n.id(), id);
            } catch (RuntimeException e) {
                throw mapped(e);
            }
        }
        LinkedHashMap<String, EndpointConfig> nets = new LinkedHashMap<>(plan.networks());
        nets.remove(n.name());
        NetworkPlan updated = plan.withNetworks(nets);
        save(dir, updated);
        writeEtcFiles(dir, hostname, updated, hc);
    }

    // ---- /etc files

    /**
     * hosts and resolv.conf for the plan and the endpoints the container has now, written in
     * place: the files are bind-mounted into the container, so a new file (rename) would not be
     * seen; truncate-and-write keeps the inode.
     */
    public void writeEtcFiles(Path dir, String hostname, NetworkPlan plan, HostConfig hc) {
        try {
            List<String> extra = extraHosts(hc);
            String hostResolv = Files.exists(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "";
            String hosts, resolv;
            if (plan.mode().equals("host")) {
                hosts = ContainerFiles.hosts(hostname, List.of(), extra);
                resolv = hostResolv;
            } else {
                List<Endpoint> eps = networks.endpointsOf(dirId(dir));
                hosts = ContainerFiles.hosts(hostname, eps, extra) + linkedHosts(eps, hc);
                if (eps.isEmpty() && !plan.mode().startsWith("container:")) {
                    hosts += "127.0.1.1\t" + hostname + "\n";
                }
                boolean embedded = plan.networks().keySet().stream().anyMatch(n -> !n.equals(Networks.DEFAULT_NETWORK));
                resolv = ContainerFiles.resolvConf(embedded, list(hc == null ? null : hc.dns()),
                        list(hc == null ? null : hc.dnsSearch()), list(hc == null ? null : hc.dnsOptions()), hostResolv);
                if (!embedded && resolv.lines().noneMatch(l -> l.startsWith("nameserver "))) {
                    // Only loopback resolvers on the host (systemd-resolved's 127.0.0.53): docker's
                    // fallback, as they cannot be reached from the container's netns.
                    resolv = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n" + resolv;
                }
            }
            writeInPlace(dir.resolve("hosts"), hosts);
            writeInPlace(dir.resolve("resolv.conf"), resolv);
        } catch (IOException e) {
            throw new EngineException(500, "writing the /etc files of " + dir.getFileName() + ": " + e.getMessage(), e);
        } catch (NetworkException e) {
            throw mapped(e);
        }
    }

    /**
     * docker's legacy links (--link name:alias, and docker-compose's links), as dockerd serves
     * them: a hosts line "IP alias name" per linked container, at its address on a network the
     * two share. A linked container not running now has no address: no line (docker refuses the
     * start; here the name is simply not resolved). The environment variables links once added
     * are not made (deprecated by docker).
     */
    private String linkedHosts(List<Endpoint> own, HostConfig hc) {
        if (hc == null || hc.links() == null || hc.links().isEmpty()) {
            return "";
        }
        java.util.Set<String> shared = new java.util.HashSet<>();
        own.forEach(e -> shared.add(e.networkId()));
        StringBuilder lines = new StringBuilder();
        for (String link : hc.links()) {
            // "name:alias", or "/name:/this/alias" as inspect shows it back
            String[] parts = link.split(":", 2);
            String name = parts[0].substring(parts[0].lastIndexOf('/') + 1);
            String alias = parts.length > 1 ? parts[1].substring(parts[1].lastIndexOf('/') + 1) : name;
            networks.list().stream().filter(n -> shared.contains(n.id())).flatMap(n -> n.endpoints().stream())
                    .filter(e -> name.equals(e.containerName()) || e.containerId().startsWith(name)).findFirst()
                    .ifPresent(e -> lines.append(e.ip()).append('\t').append(alias.equals(name) ? name : alias + " " + name).append('\n'));
        }
        return lines.toString();
    }

    /** Truncate and write: the same inode, so the container's bind mount sees the new content. */
    public static void writeInPlace(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String dirId(Path dir) {
        return dir.getFileName().toString();
    }

    /** --add-host: "name:ip" (or docker's newer "name=ip"); "host-gateway" is the default bridge's gateway. */
    private List<String> extraHosts(HostConfig hc) {
        List<String> out = new ArrayList<>();
        if (hc == null || hc.extraHosts() == null) {
            return out;
        }
        for (String h : hc.extraHosts()) {
            int sep = h.indexOf('=') > 0 ? h.indexOf('=') : h.indexOf(':');
            if (sep <= 0) {
                throw new EngineException(400, "invalid extra host " + h + ": it must be name:ip");
            }
            String ip = h.substring(sep + 1);
            if (ip.equals("host-gateway")) {
                ip = networks.defaultNetwork().gateway().toString();
            }
            out.add(h.substring(0, sep) + ":" + ip);
        }
        return out;
    }

    private static List<String> list(List<String> l) {
        return l == null ? List.of() : l;
    }

    // ---- /networks

    /** GET /networks: predefined ones too, filtered as docker (name substring, id prefix, driver, label, type). */
    public List<Map<String, Object>> list(Map<String, List<String>> filters) {
        List<Map<String, Object>> all = new ArrayList<>();
        String created = networks.defaultNetwork().created();
        for (Network n : networks.list()) {
            all.add(NetworkViews.network(n, true));
        }
        for (String p : NetworkViews.PSEUDO) {
            all.add(NetworkViews.pseudo(p, options.defaultBridge(), created));
        }
        return all.stream().filter(m -> matches(m, filters == null ? Map.of() : filters)).toList();
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> m, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "name" -> values.stream().anyMatch(v -> ((String) m.get("Name")).contains(v));
                case "id" -> values.stream().anyMatch(v -> ((String) m.get("Id")).startsWith(v));
                case "driver" -> values.contains((String) m.get("Driver"));
                case "type" -> values.stream().anyMatch(v -> v.equals(predefined((String) m.get("Name")) ? "builtin" : "custom"));
                case "label" -> values.stream().allMatch(v -> {
                    Map<String, String> labels = (Map<String, String>) m.get("Labels");
                    int eq = v.indexOf('=');
                    return eq < 0 ? labels.containsKey(v) : v.substring(eq + 1).equals(labels.get(v.substring(0, eq)));
                });
                case "scope" -> values.contains("local");
                case "dangling" -> true;
                default -> throw new EngineException(400, "invalid filter '" + f.getKey() + "'");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean predefined(String name) {
        return name.equals(Networks.DEFAULT_NETWORK) || NetworkViews.PSEUDO.contains(name);
    }

    /** GET /networks/{id}. */
    public Map<String, Object> inspect(String nameOrId) {
        for (String p : NetworkViews.PSEUDO) {
            if (p.equals(nameOrId) || NetworkViews.pseudoId(p, options.defaultBridge()).startsWith(nameOrId) && nameOrId.length() >= 1
                    && networks.find(nameOrId).isEmpty()) {
                return NetworkViews.pseudo(p, options.defaultBridge(), networks.defaultNetwork().created());
            }
        }
        return NetworkViews.network(network(nameOrId), true);
    }

    /** POST /networks/create: a bridge network; returns its id. */
    public String create(String name, String driver, boolean internal, Map<String, String> labels,
                         String subnet, String gateway, String ipRange) {
        if (driver != null && !driver.isEmpty() && !driver.equals("bridge")) {
            throw new EngineException(driver.equals("host") || driver.equals("null") ? 403 : 404,
                    driver.equals("host") || driver.equals("null") ? "only one instance of \"" + driver + "\" network is allowed"
                            : "plugin \"" + driver + "\" not found");
        }
        if (name == null || name.isEmpty()) {
            throw new EngineException(400, "network name cannot be empty");
        }
        if (NetworkViews.PSEUDO.contains(name)) {
            throw new EngineException(409, "network with name " + name + " already exists");
        }
        try {
            dev.berth.network.NetworkSpec spec = new dev.berth.network.NetworkSpec(name,
                    blank(subnet) ? null : dev.berth.network.Subnet.parse(subnet),
                    blank(gateway) ? null : Ipv4.parse(gateway),
                    blank(ipRange) ? null : dev.berth.network.Subnet.parse(ipRange), internal, labels);
            return withHostLock(() -> networks.create(spec)).id();
        } catch (RuntimeException e) {
            throw mapped(e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isEmpty();
    }

    /** DELETE /networks/{id}: the predefined ones are docker's 403, one with endpoints 409. */
    public void remove(String nameOrId) {
        if (NetworkViews.PSEUDO.contains(nameOrId)) {
            throw new EngineException(403, nameOrId + " is a pre-defined network and cannot be removed");
        }
        Network n = network(nameOrId);
        if (n.name().equals(Networks.DEFAULT_NETWORK)) {
            throw new EngineException(403, n.name() + " is a pre-defined network and cannot be removed");
        }
        try {
            networks.remove(n.id());
        } catch (RuntimeException e) {
            throw mapped(e);
        }
    }

    /** POST /networks/prune: names of the removed networks. */
    public List<String> prune(java.util.function.Predicate<String> inUse) {
        List<String> removed = new ArrayList<>();
        for (Network n : networks.list()) {
            if (!n.name().equals(Networks.DEFAULT_NETWORK) && n.endpoints().isEmpty() && !inUse.test(n.name())) {
                try {
                    networks.remove(n.id());
                    removed.add(n.name());
                } catch (RuntimeException e) {
                    System.err.println("level=warning msg=\"pruning network " + n.name() + ": " + e.getMessage() + "\"");
                }
            }
        }
        return removed;
    }

    // ---- helpers

    /** A network by name, id or unique id prefix; docker's 404 otherwise. */
    public Network network(String nameOrId) {
        return networks.find(nameOrId).orElseThrow(() -> new EngineException(404, "network " + nameOrId + " not found"));
    }

    private static final Object HOST_LOCK = new Object();
    private static final Path HOST_LOCK_FILE = Path.of("/run/berth-network.lock");

    /**
     * Runs a network creation under a host-wide lock (flock on /run/berth-network.lock): IPAM
     * picks a subnet the host does not use yet, which another daemon on the host (tests run
     * several) could be picking at the same moment; the lock makes "choose, then make the
     * bridge with its address" one step across daemons. Without /run writable: no lock.
     */
    static <T> T withHostLock(java.util.function.Supplier<T> action) {
        synchronized (HOST_LOCK) {
            java.nio.channels.FileChannel ch;
            try {
                ch = java.nio.channels.FileChannel.open(HOST_LOCK_FILE, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.WRITE);
            } catch (IOException e) {
                return action.get();
            }
            try (ch; java.nio.channels.FileLock ignored = ch.lock()) {
                return action.get();
            } catch (IOException e) {
                throw new EngineException(500, "locking " + HOST_LOCK_FILE + ": " + e.getMessage(), e);
            }
        }
    }

    /** The network module's typed errors as the engine's (same status codes). */
    public static EngineException mapped(RuntimeException e) {
        if (e instanceof EngineException ee) {
            return ee;
        }
        int status = switch (e) {
            case InvalidNetworkRequestException x -> 400;
            case NetworkNotFoundException x -> 404;
            case NetworkConflictException x -> 409;
            default -> 500;
        };
        String msg = e.getMessage();
        if (status == 409 && msg != null && msg.contains("port is already allocated")) {
            // docker's wording: the start fails with a 500 naming the endpoint and the bind
            return new EngineException(500, "driver failed programming external connectivity: " + msg, e);
        }
        return new EngineException(status, msg, e);
    }

    /** The published ports of a container's endpoints, as made. */
    public List<PortMapping> portsOf(String id) {
        return networks.endpointsOf(id).stream().flatMap(e -> e.ports().stream()).toList();
    }

    @Override
    public void close() {
        networks.close();
    }
}
