package dev.berth.cli.commands;

import dev.berth.cli.flags.FlagException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * --expose and -p/--publish into Config.ExposedPorts and HostConfig.PortBindings, as docker's
 * nat.ParsePortSpecs: [ip:][hostPort:]containerPort[/proto], ranges like 8000-8002:80-82.
 */
final class Ports {
    private Ports() {}

    @SuppressWarnings("unchecked")
    static void apply(List<String> expose, List<String> publish, Map<String, Object> config, Map<String, Object> host) throws FlagException {
        Map<String, Object> exposed = new LinkedHashMap<>();
        Map<String, Object> bindings = new LinkedHashMap<>();
        for (String e : expose) {
            String[] pp = splitProto(e);
            for (String port : range(pp[0], e)) {
                exposed.put(port + "/" + pp[1], Map.of());
            }
        }
        for (String p : publish) {
            String[] pp = splitProto(p);
            String spec = pp[0];
            String ip = "";
            String hostPort = "";
            String containerPort;
            int last = spec.lastIndexOf(':');
            if (last < 0) {
                containerPort = spec;
            } else {
                containerPort = spec.substring(last + 1);
                String rest = spec.substring(0, last);
                int colon = rest.lastIndexOf(':');
                if (rest.startsWith("[") && rest.contains("]")) {
                    int close = rest.indexOf(']');
                    ip = rest.substring(1, close);
                    hostPort = rest.length() > close + 1 ? rest.substring(close + 2) : "";
                } else if (colon >= 0) {
                    ip = rest.substring(0, colon);
                    hostPort = rest.substring(colon + 1);
                } else {
                    hostPort = rest;
                }
            }
            List<String> containers = range(containerPort, p);
            List<String> hosts = hostPort.isEmpty() ? null : range(hostPort, p);
            if (hosts != null && hosts.size() != containers.size() && hosts.size() != 1) {
                throw new FlagException("invalid argument \"" + p + "\" for \"-p, --publish\" flag: invalid ranges specified for container and host Ports: "
                        + containerPort + " and " + hostPort);
            }
            for (int i = 0; i < containers.size(); i++) {
                String key = containers.get(i) + "/" + pp[1];
                exposed.put(key, Map.of());
                Map<String, String> b = new LinkedHashMap<>();
                b.put("HostIp", ip);
                b.put("HostPort", hosts == null ? "" : hosts.size() == 1 ? hosts.getFirst() : hosts.get(i));
                ((List<Object>) bindings.computeIfAbsent(key, k -> new ArrayList<>())).add(b);
            }
        }
        if (!exposed.isEmpty()) {
            config.put("ExposedPorts", exposed);
        }
        if (!bindings.isEmpty()) {
            host.put("PortBindings", bindings);
        }
    }

    private static String[] splitProto(String s) {
        int slash = s.lastIndexOf('/');
        return slash < 0 ? new String[] {s, "tcp"} : new String[] {s.substring(0, slash), s.substring(slash + 1).toLowerCase(java.util.Locale.ROOT)};
    }

    private static List<String> range(String ports, String original) throws FlagException {
        List<String> out = new ArrayList<>();
        try {
            int dash = ports.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(ports.substring(dash + 1));
            if (from < 0 || to > 65535 || to < from) {
                throw new NumberFormatException();
            }
            for (int p = from; p <= to; p++) {
                out.add(String.valueOf(p));
            }
        } catch (NumberFormatException e) {
            throw new FlagException("invalid argument \"" + original + "\" for \"-p, --publish\" flag: invalid containerPort: " + ports);
        }
        return out;
    }
}
