package dev.berth.engine.network;

import dev.berth.network.Endpoint;
import dev.berth.network.Network;
import dev.berth.network.Networks;
import dev.berth.network.PortMapping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Networks and a container's networking in the Docker Engine API's JSON shapes (maps, as the
 * API writes them): GET /networks, inspect's NetworkSettings, the list's Ports. Here rather than
 * in the api module, which sees only the engine.
 */
public final class NetworkViews {
    /** dockerd's predefined networks besides "bridge": ours have no kernel objects. */
    public static final List<String> PSEUDO = List.of("host", "none");

    private NetworkViews() {}

    /** A stable id for "host" and "none", unique per default bridge (so per daemon). */
    public static String pseudoId(String name, String bridge) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(("berth-network-" + name + "-" + bridge).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** GET /networks/{id}: docker's NetworkResource. */
    public static Map<String, Object> network(Network n, boolean withContainers) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", n.name());
        m.put("Id", n.id());
        m.put("Created", n.created());
        m.put("Scope", "local");
        m.put("Driver", "bridge");
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Subnet", n.subnet().toString());
        if (n.ipRange() != null) {
            cfg.put("IPRange", n.ipRange().toString());
        }
        cfg.put("Gateway", n.gateway().toString());
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", null);
        ipam.put("Config", List.of(cfg));
        m.put("IPAM", ipam);
        m.put("Internal", n.internal());
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        Map<String, Object> containers = new LinkedHashMap<>();
        if (withContainers) {
            for (Endpoint e : n.endpoints()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("Name", e.containerName());
                c.put("EndpointID", e.id());
                c.put("MacAddress", e.mac());
                c.put("IPv4Address", e.ip() + "/" + e.prefixLength());
                c.put("IPv6Address", "");
                containers.put(e.containerId(), c);
            }
        }
        m.put("Containers", containers);
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("com.docker.network.bridge.name", n.bridge());
        if (n.name().equals(Networks.DEFAULT_NETWORK)) {
            opts.put("com.docker.network.bridge.default_bridge", "true");
            opts.put("com.docker.network.bridge.enable_ip_masquerade", "true");
        }
        m.put("Options", opts);
        m.put("Labels", n.labels());
        return m;
    }

    /** "host" (driver host) and "none" (driver null), as dockerd lists them. */
    public static Map<String, Object> pseudo(String name, String bridge, String created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("Id", pseudoId(name, bridge));
        m.put("Created", created);
        m.put("Scope", "local");
        m.put("Driver", name.equals("host") ? "host" : "null");
        m.put("EnableIPv4", true);
        m.put("EnableIPv6", false);
        m.put("IPAM", Map.of("Driver", "default", "Config", List.of()));
        m.put("Internal", false);
        m.put("Attachable", false);
        m.put("Ingress", false);
        m.put("ConfigFrom", Map.of("Network", ""));
        m.put("ConfigOnly", false);
        m.put("Containers", Map.of());
        m.put("Options", Map.of());
        m.put("Labels", Map.of());
        return m;
    }

    /**
     * Inspect's NetworkSettings: Ports (published ones with their host ports while it runs,
     * exposed ones null), the default bridge's address at the top level (docker's legacy
     * fields), and Networks[name] per network of its plan, filled in from the endpoint it has.
     */
    public static Map<String, Object> settings(NetworkPlan plan, List<Endpoint> endpoints, Map<String, Network> byName,
                                               String bridge, int pid, boolean running) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("Bridge", "");
        n.put("SandboxID", running && pid > 0 ? HexFormat.of().formatHex(Integer.toString(pid).getBytes(StandardCharsets.UTF_8)) : "");
        n.put("SandboxKey", running && pid > 0 ? "/proc/" + pid + "/ns/net" : "");
        Map<String, Object> ports = new LinkedHashMap<>();
        if (running) {
            plan.exposed().forEach(k -> ports.put(k, null));
            for (Endpoint e : endpoints) {
                for (PortMapping p : e.ports()) {
                    String key = p.containerPort() + "/" + p.protocol();
                    @SuppressWarnings("unchecked")
                    List<Map<String, String>> l = ports.get(key) instanceof List<?> x ? (List<Map<String, String>>) x : new ArrayList<>();
                    l.add(Map.of("HostIp", p.hostIp() == null ? "0.0.0.0" : p.hostIp().toString(), "HostPort", Integer.toString(p.hostPort())));
                    ports.put(key, l);
                }
            }
        }
        n.put("Ports", ports);
        Endpoint def = endpoints.stream().filter(e -> {
            Network net = byName.get(Networks.DEFAULT_NETWORK);
            return net != null && net.id().equals(e.networkId());
        }).findFirst().orElse(null);
        n.put("HairpinMode", false);
        n.put("LinkLocalIPv6Address", "");
        n.put("LinkLocalIPv6PrefixLen", 0);
        n.put("SecondaryIPAddresses", null);
        n.put("SecondaryIPv6Addresses", null);
        n.put("EndpointID", def == null ? "" : def.id());
        n.put("Gateway", def == null ? "" : def.gateway().toString());
        n.put("GlobalIPv6Address", "");
        n.put("GlobalIPv6PrefixLen", 0);
        n.put("IPAddress", def == null ? "" : def.ip().toString());
        n.put("IPPrefixLen", def == null ? 0 : def.prefixLength());
        n.put("IPv6Gateway", "");
        n.put("MacAddress", def == null ? "" : def.mac());
        Map<String, Object> nets = new LinkedHashMap<>();
        if (plan.mode().equals("host") || plan.mode().equals("none")) {
            nets.put(plan.mode(), endpointSettings(pseudoId(plan.mode(), bridge), null, EndpointConfig.NONE));
        }
        plan.networks().forEach((name, cfg) -> {
            Network net = byName.get(name);
            Endpoint ep = net == null ? null : endpoints.stream().filter(e -> e.networkId().equals(net.id())).findFirst().orElse(null);
            nets.put(name, endpointSettings(net == null ? "" : net.id(), ep, cfg));
        });
        n.put("Networks", nets);
        return n;
    }

    private static Map<String, Object> endpointSettings(String networkId, Endpoint ep, EndpointConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("IPAMConfig", cfg.ipv4() == null ? null : Map.of("IPv4Address", cfg.ipv4()));
        m.put("Links", null);
        m.put("Aliases", cfg.aliasList().isEmpty() ? null : cfg.aliasList());
        m.put("MacAddress", ep == null ? "" : ep.mac());
        m.put("DriverOpts", null);
        m.put("NetworkID", networkId);
        m.put("EndpointID", ep == null ? "" : ep.id());
        m.put("Gateway", ep == null ? "" : ep.gateway().toString());
        m.put("IPAddress", ep == null ? "" : ep.ip().toString());
        m.put("IPPrefixLen", ep == null ? 0 : ep.prefixLength());
        m.put("IPv6Gateway", "");
        m.put("GlobalIPv6Address", "");
        m.put("GlobalIPv6PrefixLen", 0);
        m.put("DNSNames", null);
        return m;
    }

    /** The list's Ports: each published mapping, and each exposed port not published. */
    public static List<Map<String, Object>> summaryPorts(NetworkPlan plan, List<Endpoint> endpoints, boolean running) {
        List<Map<String, Object>> out = new ArrayList<>();
        java.util.Set<String> published = new java.util.HashSet<>();
        if (running) {
            for (Endpoint e : endpoints) {
                for (PortMapping p : e.ports()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("IP", p.hostIp() == null ? "0.0.0.0" : p.hostIp().toString());
                    m.put("PrivatePort", p.containerPort());
                    m.put("PublicPort", p.hostPort());
                    m.put("Type", p.protocol().toString());
                    out.add(m);
                    published.add(p.containerPort() + "/" + p.protocol());
                }
            }
        }
        for (String k : plan.exposed()) {
            if (!published.contains(k)) {
                out.add(Map.of("PrivatePort", Integer.parseInt(k.substring(0, k.indexOf('/'))), "Type", k.substring(k.indexOf('/') + 1)));
            }
        }
        return out;
    }
}
