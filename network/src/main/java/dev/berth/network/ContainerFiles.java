package dev.berth.network;

import dev.berth.network.dns.DnsServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The /etc/resolv.conf and /etc/hosts a container gets (the engine writes them into the container's
 * files dir and bind-mounts them), in the shape dockerd writes them.
 */
public final class ContainerFiles {
    private ContainerFiles() {}

    /**
     * resolv.conf(5). With the embedded server (a user-defined network): nameserver 127.0.0.11 and
     * ndots:0, as docker. Otherwise (the default bridge, or --dns given): the servers asked for, or
     * the host's own, without loopback ones (127.0.0.0/8, ::1: in the container they would be the
     * container's own loopback); search and options from the request, or the host's.
     */
    public static String resolvConf(boolean embeddedDns, List<String> dns, List<String> search, List<String> options,
            String hostResolvConf) {
        List<String> servers = new ArrayList<>(), hostSearch = new ArrayList<>(), hostOptions = new ArrayList<>();
        for (String line : hostResolvConf.lines().toList()) {
            String[] w = line.strip().split("\\s+");
            if (w.length < 2) {
                continue;
            }
            switch (w[0]) {
                case "nameserver" -> {
                    if (!w[1].startsWith("127.") && !w[1].equals("::1")) {
                        servers.add(w[1]);
                    }
                }
                case "search", "domain" -> hostSearch.addAll(List.of(w).subList(1, w.length));
                case "options" -> hostOptions.addAll(List.of(w).subList(1, w.length));
                default -> { }
            }
        }
        StringBuilder out = new StringBuilder();
        List<String> ns = embeddedDns ? List.of(DnsServer.ADDRESS) : dns.isEmpty() ? servers : dns;
        ns.forEach(s -> out.append("nameserver ").append(s).append('\n'));
        List<String> s = search.isEmpty() ? hostSearch : search;
        if (!s.isEmpty()) {
            out.append("search ").append(String.join(" ", s)).append('\n');
        }
        List<String> o = new ArrayList<>(options.isEmpty() ? hostOptions : options);
        if (embeddedDns && o.stream().noneMatch(x -> x.startsWith("ndots:"))) {
            o.add(0, "ndots:0");
        }
        if (!o.isEmpty()) {
            out.append("options ").append(String.join(" ", o)).append('\n');
        }
        return out.toString();
    }

    /**
     * hosts(5): docker's fixed lines, then --add-host entries ("name:ip"), then the container's own
     * addresses with its hostname (one line per endpoint).
     */
    public static String hosts(String hostname, List<Endpoint> endpoints, List<String> extraHosts) {
        StringBuilder out = new StringBuilder("""
                127.0.0.1\tlocalhost
                ::1\tlocalhost ip6-localhost ip6-loopback
                fe00::0\tip6-localnet
                ff00::0\tip6-mcastprefix
                ff02::1\tip6-allnodes
                ff02::2\tip6-allrouters
                """);
        for (String extra : extraHosts) {
            int colon = extra.indexOf(':');
            if (colon <= 0) {
                throw new InvalidNetworkRequestException("invalid extra host " + extra + ": it must be name:ip");
            }
            out.append(extra.substring(colon + 1)).append('\t').append(extra, 0, colon).append('\n');
        }
        for (Endpoint e : endpoints) {
            out.append(e.ip()).append('\t').append(hostname).append('\n');
        }
        return out.toString();
    }
}
