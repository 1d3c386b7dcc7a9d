package dev.berth.cli.commands;

import dev.berth.cli.Api;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.command.Command;
import dev.berth.cli.command.Spec;
import dev.berth.cli.flags.Flag;
import dev.berth.cli.flags.FlagException;
import dev.berth.cli.flags.ParsedArgs;
import dev.berth.cli.format.Formatter;
import dev.berth.cli.format.Template;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth network create|ls|inspect|rm|connect|disconnect|prune} over /networks. */
public final class NetworkCommands {
    private NetworkCommands() {}

    public static Command of(String sub) {
        return switch (sub) {
            case "create" -> new Create();
            case "ls", "list" -> new Ls();
            case "inspect" -> new Inspect();
            case "rm", "remove" -> new Rm();
            case "connect" -> new Connect();
            case "disconnect" -> new Disconnect();
            case "prune" -> new Prune();
            default -> null;
        };
    }

    static final class Create implements Command {
        @Override
        public Spec spec() {
            return Spec.of("create", "create [OPTIONS] NETWORK", "Create a network", 1, 1,
                    Flag.bool("attachable", "Enable manual container attachment"),
                    Flag.list("aux-address", "map", "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
                    Flag.value("config-from", "string", "The network from which to copy the configuration"),
                    Flag.bool("config-only", "Create a configuration only network"),
                    Flag.value("driver", 'd', "string", "Driver to manage the Network").withDefault("bridge"),
                    Flag.list("gateway", "strings", "IPv4 or IPv6 Gateway for the master subnet"),
                    Flag.bool("ingress", "Create swarm routing-mesh network"),
                    Flag.bool("internal", "Restrict external access to the network"),
                    Flag.list("ip-range", "strings", "Allocate container ip from a sub-range"),
                    Flag.value("ipam-driver", "string", "IP Address Management Driver").withDefault("default"),
                    Flag.list("ipam-opt", "map", "Set IPAM driver specific options"),
                    Flag.bool("ipv4", "Enable or disable IPv4 address assignment").withDefault("true"),
                    Flag.bool("ipv6", "Enable or disable IPv6 networking"),
                    Flag.list("label", "list", "Set metadata on a network"),
                    Flag.list("opt", 'o', "map", "Set driver specific options"),
                    Flag.value("scope", "string", "Control the network's scope"),
                    Flag.list("subnet", "strings", "Subnet in CIDR format that represents a network segment"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            List<String> subnets = a.list("subnet"), gateways = a.list("gateway"), ranges = a.list("ip-range");
            if (gateways.size() > subnets.size() || ranges.size() > subnets.size()) {
                throw new CliException("every ip-range or gateway must have a corresponding subnet", 1);
            }
            List<Map<String, Object>> ipamConfig = new ArrayList<>();
            for (int i = 0; i < subnets.size(); i++) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("Subnet", subnets.get(i));
                if (i < ranges.size()) {
                    c.put("IPRange", ranges.get(i));
                }
                if (i < gateways.size()) {
                    c.put("Gateway", gateways.get(i));
                }
                ipamConfig.add(c);
            }
            Map<String, Object> ipam = new LinkedHashMap<>();
            ipam.put("Driver", a.string("ipam-driver"));
            ipam.put("Config", ipamConfig);
            ipam.put("Options", KeyValues.parse(a.list("ipam-opt")));
            if (!a.list("aux-address").isEmpty()) {
                if (ipamConfig.isEmpty()) {
                    throw new CliException("no matching subnet for aux-address " + a.list("aux-address").getFirst(), 1);
                }
                ipamConfig.getFirst().put("AuxiliaryAddresses", KeyValues.parse(a.list("aux-address")));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Name", a.arg(0));
            body.put("Driver", a.string("driver"));
            body.put("Options", KeyValues.parse(a.list("opt")));
            body.put("IPAM", ipam);
            body.put("Internal", a.bool("internal"));
            body.put("EnableIPv6", a.bool("ipv6"));
            body.put("Attachable", a.bool("attachable"));
            body.put("Ingress", a.bool("ingress"));
            body.put("ConfigOnly", a.bool("config-only"));
            if (a.has("config-from")) {
                body.put("ConfigFrom", Map.of("Network", a.string("config-from")));
            }
            if (a.has("scope")) {
                body.put("Scope", a.string("scope"));
            }
            if (a.has("ipv4")) {
                body.put("EnableIPv4", a.bool("ipv4"));
            }
            body.put("Labels", KeyValues.parse(a.list("label")));
            Object v = cli.api().postJson("/networks/create", null, body);
            String warning = Api.string(v, "Warning");
            if (!warning.isEmpty()) {
                cli.err().println(warning);
            }
            cli.out().println(Api.string(v, "Id"));
            return 0;
        }
    }

    static final class Ls implements Command {
        @Override
        public Spec spec() {
            return Spec.of("ls", "ls [OPTIONS]", "List networks", 0, 0,
                    Flag.list("filter", 'f', "filter", "Provide filter values (e.g. \"driver=bridge\")"),
                    Flag.value("format", "string", "Format output using a custom template"),
                    Flag.bool("no-trunc", "Do not truncate the output"),
                    Flag.bool("quiet", 'q', "Only display network IDs"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            Object answer = cli.api().getJson("/networks", Api.query().put("filters", Filters.encode(a.list("filter"))));
            List<Object> networks = new ArrayList<>(Api.asList(answer));
            networks.sort((x, y) -> Api.string(x, "Name").compareTo(Api.string(y, "Name")));
            boolean trunc = !a.bool("no-trunc");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object n : networks) {
                Map<String, Object> r = new TreeMap<>();
                String id = Api.string(n, "Id");
                r.put("ID", trunc ? ContainerRows.shortId(id) : id);
                r.put("Name", Api.string(n, "Name"));
                r.put("Driver", Api.string(n, "Driver"));
                r.put("Scope", Api.string(n, "Scope"));
                r.put("IPv6", String.valueOf(Boolean.TRUE.equals(Api.get(n, "EnableIPv6"))));
                r.put("Internal", String.valueOf(Boolean.TRUE.equals(Api.get(n, "Internal"))));
                r.put("Labels", ContainerRows.labels(Api.get(n, "Labels")));
                r.put("CreatedAt", goTime(Api.string(n, "Created")));
                // API 1.48's EnableIPv4; an older daemon's networks all have IPv4
                r.put("IPv4", String.valueOf(!Boolean.FALSE.equals(Api.get(n, "EnableIPv4"))));
                rows.add(r);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("ID", "NETWORK ID");
            headers.put("Name", "NAME");
            headers.put("Driver", "DRIVER");
            headers.put("Scope", "SCOPE");
            headers.put("IPv6", "IPV6");
            headers.put("Internal", "INTERNAL");
            headers.put("Labels", "LABELS");
            headers.put("CreatedAt", "CREATED");
            String format = a.bool("quiet") ? "{{.ID}}" : a.string("format");
            cli.out().print(Formatter.render(format, "{{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}", headers, rows));
            return 0;
        }
    }

    static final class Inspect implements Command {
        @Override
        public Spec spec() {
            return Spec.of("inspect", "inspect [OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks", 1, -1,
                    Flag.value("format", 'f', "string", "Format output using a custom template"),
                    Flag.bool("verbose", 'v', "Verbose output for diagnostics"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            Template t = a.string("format") == null || a.string("format").equals("json") ? null : Template.parse(a.string("format"));
            return InspectOutput.print(cli, t, a.args(), name -> cli.api().getJson("/networks/" + Api.segment(name), null));
        }
    }

    static final class Rm implements Command {
        @Override
        public Spec spec() {
            return Spec.of("rm", "rm NETWORK [NETWORK...]", "Remove one or more networks", 1, -1,
                    Flag.bool("force", 'f', "Do not error if the network does not exist"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) {
            boolean failed = false;
            for (String name : a.args()) {
                try {
                    cli.api().send("DELETE", "/networks/" + Api.segment(name), null);
                    cli.out().println(name);
                } catch (dev.berth.cli.DaemonException e) {
                    if (a.bool("force") && e.status() == 404) {
                        continue;
                    }
                    cli.out().flush();
                    cli.err().println(e.getMessage());
                    failed = true;
                } catch (CliException e) {
                    cli.out().flush();
                    cli.err().println(e.getMessage());
                    failed = true;
                }
            }
            return failed ? 1 : 0;
        }
    }

    static final class Connect implements Command {
        @Override
        public Spec spec() {
            return Spec.of("connect", "connect [OPTIONS] NETWORK CONTAINER", "Connect a container to a network", 2, 2,
                    Flag.list("alias", "strings", "Add network-scoped alias for the container"),
                    Flag.list("driver-opt", "strings", "driver options for the network"),
                    Flag.value("ip", "string", "IPv4 address (e.g., \"172.30.100.104\")"),
                    Flag.value("ip6", "string", "IPv6 address (e.g., \"2001:db8::33\")"),
                    Flag.list("link", "list", "Add link to another container"),
                    Flag.list("link-local-ip", "strings", "Add a link-local address for the container"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            Map<String, Object> ipam = new LinkedHashMap<>();
            if (a.string("ip") != null) {
                ipam.put("IPv4Address", a.string("ip"));
            }
            if (a.string("ip6") != null) {
                ipam.put("IPv6Address", a.string("ip6"));
            }
            if (!a.list("link-local-ip").isEmpty()) {
                ipam.put("LinkLocalIPs", a.list("link-local-ip"));
            }
            Map<String, Object> endpoint = new LinkedHashMap<>();
            if (!ipam.isEmpty()) {
                endpoint.put("IPAMConfig", ipam);
            }
            if (!a.list("alias").isEmpty()) {
                endpoint.put("Aliases", a.list("alias"));
            }
            if (!a.list("link").isEmpty()) {
                endpoint.put("Links", a.list("link"));
            }
            if (!a.list("driver-opt").isEmpty()) {
                endpoint.put("DriverOpts", KeyValues.parse(a.list("driver-opt")));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Container", a.arg(1));
            body.put("EndpointConfig", endpoint);
            cli.api().postJson("/networks/" + Api.segment(a.arg(0)) + "/connect", null, body);
            return 0;
        }
    }

    static final class Disconnect implements Command {
        @Override
        public Spec spec() {
            return Spec.of("disconnect", "disconnect [OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network", 2, 2,
                    Flag.bool("force", 'f', "Force the container to disconnect from a network"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Container", a.arg(1));
            body.put("Force", a.bool("force"));
            cli.api().postJson("/networks/" + Api.segment(a.arg(0)) + "/disconnect", null, body);
            return 0;
        }
    }

    static final class Prune implements Command {
        @Override
        public Spec spec() {
            return Spec.of("prune", "prune [OPTIONS]", "Remove all unused networks", 0, 0,
                    Flag.list("filter", "filter", "Provide filter values (e.g. \"until=<timestamp>\")"),
                    Flag.bool("force", 'f', "Do not prompt for confirmation"));
        }

        @Override
        public int run(Cli cli, ParsedArgs a) throws Exception {
            if (!a.bool("force") && !confirm(cli, "WARNING! This will remove all custom networks not used by at least one container.")) {
                return 0;
            }
            List<Object> deleted = prune(cli, a.list("filter"));
            if (!deleted.isEmpty()) {
                cli.out().println("Deleted Networks:");
                for (Object d : deleted) {
                    cli.out().println(d);
                }
                cli.out().println();
            }
            return 0;
        }

        static List<Object> prune(Cli cli, List<String> filters) throws CliException, FlagException {
            Object answer = cli.api().postJson("/networks/prune", Api.query().put("filters", Filters.encode(filters)), null);
            return Api.list(answer, "NetworksDeleted");
        }
    }

    /** docker's prompt: "Are you sure you want to continue? [y/N] ", true on y or yes. */
    static boolean confirm(Cli cli, String warning) throws java.io.IOException {
        cli.out().print(warning + "\nAre you sure you want to continue? [y/N] ");
        cli.out().flush();
        String answer = new BufferedReader(new InputStreamReader(cli.in())).readLine();
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }

    /**
     * The daemon's RFC 3339 time as Go's Time.String() prints the parsed value ("2026-11-22
     * 21:32:41.893363309 +0000 UTC"): docker's network ls shows it so. Text left as it is when
     * it does not parse.
     */
    static String goTime(String rfc3339) {
        try {
            java.time.OffsetDateTime t = java.time.OffsetDateTime.parse(rfc3339);
            String fraction = t.getNano() == 0 ? "" : ("." + String.format("%09d", t.getNano())).replaceAll("0+$", "");
            String offset = t.getOffset().getTotalSeconds() == 0 ? "+0000 UTC"
                    : t.getOffset().getId().replace(":", "") + " " + t.getOffset().getId().replace(":", "");
            return t.toLocalDate() + " " + java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").format(t) + fraction + " " + offset;
        } catch (java.time.format.DateTimeParseException e) {
            return rfc3339;
        }
    }
}
